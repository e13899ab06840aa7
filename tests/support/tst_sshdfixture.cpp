// Integration test of SshdFixture: the system `ssh` client against a real sshd on 127.0.0.1.
#include "sshdfixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using pgdeck::test::SshdFixture;

namespace {

struct SshResult {
    int exitCode = -1;
    bool timedOut = false;
    qint64 elapsedMs = 0;
    QByteArray out;
    QByteArray err;
};

// Runs `ssh <args>`; a hang is reported as timedOut rather than blocking the suite.
SshResult runSsh(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 15000)
{
    SshResult result;
    QProcess ssh;
    QElapsedTimer clock;
    clock.start();
    ssh.start(QStringLiteral("ssh"), args);
    if (!ssh.waitForStarted(5000))
        return result;
    ssh.write(input);
    ssh.closeWriteChannel();
    if (!ssh.waitForFinished(timeoutMs)) {
        result.timedOut = true;
        ssh.kill();
        ssh.waitForFinished(1000);
    }
    result.elapsedMs = clock.elapsed();
    result.exitCode = ssh.exitStatus() == QProcess::NormalExit ? ssh.exitCode() : -1;
    result.out = ssh.readAllStandardOutput();
    result.err = ssh.readAllStandardError();
    return result;
}

QString shellQuote(const QString &s)
{
    QString escaped = s;
    escaped.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close >= 0 && text.mid(close + 2, 1) == "Z"; // a zombie waits for init to reap it
}

bool waitGone(qint64 pid, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!processGone(pid) && clock.elapsed() < timeoutMs)
        QTest::qWait(20);
    return processGone(pid);
}

} // namespace

class TstSshdFixture : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void echoReturnsOutput();
    void exitStatusComesBack_data();
    void exitStatusComesBack();
    void stdinIsPipedThrough();
    void destinationWorksWithSshArgs();
    void logShowsTheLogin();
    void badHostKeyFailsFast_data();
    void badHostKeyFailsFast();
    void unauthorizedClientFailsFast_data();
    void unauthorizedClientFailsFast();
    void nothingListeningFailsFast();
    void stopLeavesNoProcessBehind();

private:
    QStringList sshTo(const QStringList &command) const
    {
        return m_sshd.sshArgs() + QStringList{m_sshd.alias(), QStringLiteral("--")} + command;
    }

    SshdFixture m_sshd;
    QTemporaryDir m_scratch;
};

void TstSshdFixture::initTestCase()
{
    QString missing;
    if (!SshdFixture::isAvailable(&missing))
        QSKIP(qPrintable(QStringLiteral("OpenSSH is not installed (missing %1): apt-get install "
                                        "openssh-server openssh-client")
                             .arg(missing)));
    QVERIFY(m_scratch.isValid());
    QString error;
    QVERIFY2(m_sshd.start(&error), qPrintable(error));
    QVERIFY(m_sshd.isRunning());
    QVERIFY(m_sshd.port() > 0);
    QVERIFY(!m_sshd.user().isEmpty());
    QCOMPARE(m_sshd.destination(), m_sshd.user() + QStringLiteral("@127.0.0.1"));
    QCOMPARE(m_sshd.sshArgs(), (QStringList{QStringLiteral("-F"), m_sshd.configFile()}));
}

void TstSshdFixture::cleanupTestCase()
{
    m_sshd.stop();
    QVERIFY(!m_sshd.isRunning());
}

void TstSshdFixture::echoReturnsOutput()
{
    const SshResult r = runSsh(sshTo({QStringLiteral("echo hello")}));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("hello\n"));
}

void TstSshdFixture::exitStatusComesBack_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("0") << 0;
    QTest::newRow("1") << 1;
    QTest::newRow("3") << 3;
    QTest::newRow("42") << 42;
}

void TstSshdFixture::exitStatusComesBack()
{
    QFETCH(int, status);
    const SshResult r = runSsh(sshTo({QStringLiteral("exit %1").arg(status)}));
    QVERIFY(!r.timedOut);
    QCOMPARE(r.exitCode, status);
}

void TstSshdFixture::stdinIsPipedThrough()
{
    // Same machine, so the "remote" file lands in our scratch dir and can be checked twice.
    const QString path = m_scratch.filePath(QStringLiteral("written over ssh.txt"));
    QByteArray payload("first line\nsecond line with 'quotes' and $dollars\n");
    for (int i = 0; i < 256; ++i)
        payload.append(char(i));             // every byte value survives the trip
    payload.append(QByteArray(200000, 'x')); // more than one pipe buffer

    const SshResult write =
        runSsh(sshTo({QStringLiteral("cat > %1").arg(shellQuote(path))}), payload);
    QVERIFY2(write.exitCode == 0, write.err.constData());

    QFile local(path);
    QVERIFY(local.open(QIODevice::ReadOnly));
    QCOMPARE(local.readAll(), payload);

    const SshResult read = runSsh(sshTo({QStringLiteral("cat %1").arg(shellQuote(path))}));
    QVERIFY2(read.exitCode == 0, read.err.constData());
    QCOMPARE(read.out, payload);
}

void TstSshdFixture::destinationWorksWithSshArgs()
{
    // The command runner addresses nodes as user@host; the config covers that form too.
    const SshResult r =
        runSsh(m_sshd.sshArgs() +
               QStringList{m_sshd.destination(), QStringLiteral("--"), QStringLiteral("id -un")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QString::fromLocal8Bit(r.out.trimmed()), m_sshd.user());
}

void TstSshdFixture::logShowsTheLogin()
{
    QVERIFY2(m_sshd.logText().contains(QLatin1String("Accepted publickey for ")),
             qPrintable(m_sshd.logText()));
}

void TstSshdFixture::badHostKeyFailsFast_data()
{
    QTest::addColumn<QStringList>("options");
    const QString empty = m_scratch.filePath(QStringLiteral("empty_known_hosts"));
    QFile file(empty);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QTest::newRow("unknown host key")
        << QStringList{QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=") + empty};
    QTest::newRow("wrong host alias")
        << QStringList{QStringLiteral("-o"), QStringLiteral("HostKeyAlias=pgdeck-wrong-alias")};
}

void TstSshdFixture::badHostKeyFailsFast()
{
    QFETCH(QStringList, options);
    // BatchMode must refuse instead of asking whether to trust the key.
    const SshResult r =
        runSsh(m_sshd.sshArgs() + options +
               QStringList{m_sshd.alias(), QStringLiteral("--"), QStringLiteral("true")});
    QVERIFY2(!r.timedOut, "ssh hung on an unknown host key");
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.elapsedMs < 10000, qPrintable(QString::number(r.elapsedMs)));
    QVERIFY2(r.err.contains("Host key verification failed"), r.err.constData());
}

void TstSshdFixture::unauthorizedClientFailsFast_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("identity");

    const QString strangerKey = m_scratch.filePath(QStringLiteral("stranger_ed25519"));
    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                  QStringLiteral("-N"), QString(), QStringLiteral("-f"), strangerKey});
    QVERIFY(keygen.waitForFinished(30000));
    QCOMPARE(keygen.exitCode(), 0);

    QTest::newRow("key not in authorized_keys") << m_sshd.user() << strangerKey;
    QTest::newRow("other user") << QStringLiteral("pgdeck-no-such-user") << m_sshd.identityFile();
}

void TstSshdFixture::unauthorizedClientFailsFast()
{
    QFETCH(QString, user);
    QFETCH(QString, identity);
    // Spelled out without the config file: IdentityFile entries add up, so the config's
    // good key would otherwise still be offered.
    const QStringList args{QStringLiteral("-F"),
                           QStringLiteral("/dev/null"),
                           QStringLiteral("-p"),
                           QString::number(m_sshd.port()),
                           QStringLiteral("-i"),
                           identity,
                           QStringLiteral("-o"),
                           QStringLiteral("IdentitiesOnly=yes"),
                           QStringLiteral("-o"),
                           QStringLiteral("IdentityAgent=none"),
                           QStringLiteral("-o"),
                           QStringLiteral("UserKnownHostsFile=") + m_sshd.knownHostsFile(),
                           QStringLiteral("-o"),
                           QStringLiteral("StrictHostKeyChecking=yes"),
                           QStringLiteral("-o"),
                           QStringLiteral("BatchMode=yes"),
                           QStringLiteral("-l"),
                           user,
                           QStringLiteral("127.0.0.1"),
                           QStringLiteral("--"),
                           QStringLiteral("true")};
    const SshResult r = runSsh(args);
    QVERIFY2(!r.timedOut, "ssh hung on a refused login");
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.elapsedMs < 10000, qPrintable(QString::number(r.elapsedMs)));
    QVERIFY2(r.err.contains("Permission denied"), r.err.constData());
}

void TstSshdFixture::nothingListeningFailsFast()
{
    int closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    const SshResult r =
        runSsh(m_sshd.sshArgs() + QStringList{QStringLiteral("-p"), QString::number(closedPort),
                                              m_sshd.alias(), QStringLiteral("--"),
                                              QStringLiteral("true")});
    QVERIFY(!r.timedOut);
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.elapsedMs < 10000, qPrintable(QString::number(r.elapsedMs)));
    QVERIFY2(r.err.contains("Connection refused"), r.err.constData());
}

void TstSshdFixture::stopLeavesNoProcessBehind()
{
    // A second server, so the shared one stays up for the other tests.
    SshdFixture fixture;
    QString error;
    QVERIFY2(fixture.start(&error), qPrintable(error));
    const int port = fixture.port();

    // A remote command that would outlive its server: the shell prints its pid, then
    // becomes `sleep`.
    QProcess client;
    client.start(QStringLiteral("ssh"),
                 fixture.sshArgs() + QStringList{fixture.alias(), QStringLiteral("--"),
                                                 QStringLiteral("echo $$; exec sleep 300")});
    QVERIFY(client.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), 10000);
    bool ok = false;
    const qint64 remotePid = client.readLine().trimmed().toLongLong(&ok);
    QVERIFY(ok && remotePid > 0);
    QVERIFY(!processGone(remotePid));

    QElapsedTimer clock;
    clock.start();
    fixture.stop();
    QVERIFY2(clock.elapsed() < 8000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!fixture.isRunning());
    QVERIFY(fixture.configFile().isEmpty());
    QVERIFY2(waitGone(remotePid, 3000), "the remote session outlived stop()");
    QVERIFY(client.waitForFinished(5000));
    QVERIFY(client.exitCode() != 0);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    QVERIFY(!socket.waitForConnected(1000));
}

QTEST_GUILESS_MAIN(TstSshdFixture)
#include "tst_sshdfixture.moc"
