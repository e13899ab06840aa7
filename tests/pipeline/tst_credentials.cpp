// CI tokens in the OS keychain, for real: a private session bus and GNOME keyring (see
// with-keyring.sh). The store writes, reads back, replaces and forgets an entry; then
// pgdeckctl stores a token from standard input, uses it against the local CI server with
// no token in the environment, lets an exported token win over it, and forgets it.
#include "fakeciserver.h"
#include "pipeline/credentialstore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::FakeCiServer;

class TestCredentials : public QObject {
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QString out;
    };

    // pgdeckctl in a child process while this thread's event loop serves the CI server.
    static Run ctl(const QStringList &args, const QByteArray &input = {},
                   const QString &githubToken = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("GITHUB_TOKEN"));
        if (!githubToken.isEmpty())
            env.insert(QStringLiteral("GITHUB_TOKEN"), githubToken);
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(qEnvironmentVariable("PGDECKCTL"), QStringList{QStringLiteral("pipeline")} + args);
        p.write(input);
        p.closeWriteChannel();
        Run r;
        if (finished.wait(60000) && p.exitStatus() == QProcess::NormalExit)
            r.exitCode = p.exitCode();
        r.out = QString::fromUtf8(p.readAll());
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Fail loudly rather than pass against a keychain that is not there.
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run under tests/support/with-keyring.sh");
    }

    void storeReadsBackReplacesAndForgets()
    {
        const QString entry =
            CredentialStore::entryName(QStringLiteral("GITLAB_TOKEN"),
                                       QUrl(QStringLiteral("https://gitlab.example:8443/api")));
        QCOMPARE(entry, QStringLiteral("GITLAB_TOKEN@gitlab.example:8443"));
        QString error;
        QCOMPARE(CredentialStore::readNow(entry, &error), QString());
        QVERIFY2(error.isEmpty(), qPrintable(error)); // missing is not an error

        QCOMPARE(CredentialStore::writeNow(entry, QStringLiteral("glpat-first")), QString());
        QCOMPARE(CredentialStore::readNow(entry, &error), QStringLiteral("glpat-first"));
        QCOMPARE(CredentialStore::writeNow(entry, QStringLiteral("glpat-second")), QString());
        QCOMPARE(CredentialStore::readNow(entry, &error), QStringLiteral("glpat-second"));

        // Asynchronous form, as the console uses it.
        CredentialStore store;
        QString got;
        bool done = false;
        store.read(entry, [&](const QString &secret, const QString &e) {
            got = secret;
            error = e;
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(got, QStringLiteral("glpat-second"));

        QCOMPARE(CredentialStore::removeNow(entry), QString());
        QCOMPARE(CredentialStore::readNow(entry, &error), QString());
        QVERIFY(error.isEmpty());
    }

    void pgdeckctlUsesTheStoredToken()
    {
        FakeCiServer server;
        QVERIFY(server.start());
        const QStringList target{QStringLiteral("--service"), QStringLiteral("github"),
                                 QStringLiteral("--url"), server.gitHubApiUrl().toString()};
        const QStringList runs = QStringList{QStringLiteral("runs"), QStringLiteral("--repo"),
                                             FakeCiServer::gitHubRepository()} +
                                 target;

        // Nothing stored, nothing exported: refused before any request, with the way out.
        Run r = ctl(runs);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains(QLatin1String("pipeline token set --service github")),
                 qPrintable(r.out));
        QVERIFY(server.requests().isEmpty());

        r = ctl(QStringList{QStringLiteral("token"), QStringLiteral("set")} + target,
                FakeCiServer::gitHubToken().toUtf8() + '\n');
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        const QString entry =
            CredentialStore::entryName(QStringLiteral("GITHUB_TOKEN"), server.gitHubApiUrl());
        QVERIFY2(r.out.contains(entry), qPrintable(r.out));
        QString error;
        QCOMPARE(CredentialStore::readNow(entry, &error), FakeCiServer::gitHubToken());

        r = ctl(runs);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QLatin1String("#10")), qPrintable(r.out));
        const auto listed = server.requestsTo(QStringLiteral("/github/repos/"));
        QVERIFY(!listed.isEmpty());
        QCOMPARE(listed.last().headers.value("authorization"),
                 QByteArray("Bearer ") + FakeCiServer::gitHubToken().toUtf8());

        // An exported token wins over the stored one (here a wrong one: the server says 401).
        r = ctl(runs, {}, QStringLiteral("ghp_wrong"));
        QVERIFY2(r.exitCode != 0 && r.out.contains(QLatin1String("401")), qPrintable(r.out));

        r = ctl(QStringList{QStringLiteral("token"), QStringLiteral("forget")} + target);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QLatin1String("forgotten")), qPrintable(r.out));
        QCOMPARE(CredentialStore::readNow(entry, &error), QString());
        QCOMPARE(ctl(runs).exitCode, 2);

        // An empty line stores nothing.
        r = ctl(QStringList{QStringLiteral("token"), QStringLiteral("set")} + target, "\n");
        QVERIFY2(r.exitCode == 1 && r.out.contains(QLatin1String("no value for GITHUB_TOKEN")),
                 qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
