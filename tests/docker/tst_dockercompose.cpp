// A generated deployment run for real: `pgdeckctl docker init --db replicated` writes the
// files, Docker Compose brings them up on the local engine, the replica streams from the
// primary (asserted over the ports published on 127.0.0.1), and the Engine API client sees
// the project's two containers healthy. Needs the locally built postgres:15 image.
#include "docker/composetool.h"
#include "docker/dockerengine.h"
#include "dockerfixture.h"
#include "pg/pgconnection.h"
#include "pg/pgresult.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::DockerFixture;

class TestDockerCompose : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_project;
    QStringList m_compose;
    int m_port = 0;

    QString env(const QString &key) const
    {
        QFile f(m_tmp.filePath(QStringLiteral(".env")));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.startsWith(key.toUtf8() + '='))
                return QString::fromUtf8(line.mid(key.size() + 1));
        return {};
    }

    QString scalar(int port, const QString &sql)
    {
        PgConnection c;
        c.setParams(ConnectionParams::parse(
            QStringLiteral("host=127.0.0.1 port=%1 dbname=app user=app password=%2 "
                           "connect_timeout=3")
                .arg(port)
                .arg(env(QStringLiteral("POSTGRES_PASSWORD")))));
        if (!c.waitForReady(5000))
            return QStringLiteral("error: ") + c.lastError();
        const PgResult r = c.execSync(sql);
        return r.ok() ? r.scalar().toString() : QStringLiteral("error: ") + r.errorMessage();
    }

    bool compose(const QStringList &args, QString *output, int timeoutMs = 180000)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setWorkingDirectory(m_tmp.path());
        p.start(m_compose.first(), m_compose.mid(1) + args);
        p.waitForFinished(timeoutMs);
        *output = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!DockerFixture::engineAvailable(&why))
            QSKIP(qPrintable(QStringLiteral("docker engine unavailable: ") + why));
        if (qEnvironmentVariableIsEmpty("PGDECK_TEST_DOCKER_IMAGES") &&
            !DockerFixture::imagesPresent())
            QSKIP("postgres:15 is not built here: set PGDECK_TEST_DOCKER_IMAGES=1 to build it "
                  "from Debian packages");
        QString error;
        QVERIFY2(DockerFixture::ensureImages(&error), qPrintable(error));
        m_compose = ComposeTool::detect(nullptr, &error);
        QVERIFY2(!m_compose.isEmpty(), qPrintable(error));
        m_project = QStringLiteral("pgdecktest%1").arg(QRandomGenerator::global()->bounded(100000));
        m_port = Sandbox::findFreePorts(47000 + QRandomGenerator::global()->bounded(3000), 2);
    }

    void replicatedDeploymentStreams()
    {
        QProcess init;
        init.setProcessChannelMode(QProcess::MergedChannels);
        init.start(qEnvironmentVariable("PGDECKCTL"),
                   {QStringLiteral("docker"), QStringLiteral("init"), QStringLiteral("--dir"),
                    m_tmp.path(), QStringLiteral("--project"), m_project, QStringLiteral("--app"),
                    QStringLiteral("none"), QStringLiteral("--db"), QStringLiteral("replicated"),
                    QStringLiteral("--replicas"), QStringLiteral("1"), QStringLiteral("--port"),
                    QString::number(m_port), QStringLiteral("--write")});
        QVERIFY(init.waitForFinished(60000));
        QVERIFY2(init.exitCode() == 0, init.readAll().constData());

        QString out;
        QVERIFY2(compose({QStringLiteral("up"), QStringLiteral("-d")}, &out), qPrintable(out));

        // The primary reports its replica streaming; the replica is in recovery.
        QElapsedTimer clock;
        clock.start();
        QString state;
        while (clock.elapsed() < 120000) {
            state = scalar(m_port, QStringLiteral("select string_agg(state, ',') from "
                                                  "pg_stat_replication"));
            if (state == QLatin1String("streaming"))
                break;
            QTest::qWait(1000);
        }
        if (state != QLatin1String("streaming"))
            compose({QStringLiteral("logs"), QStringLiteral("--tail"), QStringLiteral("30")}, &out);
        QVERIFY2(state == QLatin1String("streaming"), qPrintable(state + QLatin1Char('\n') + out));
        QCOMPARE(scalar(m_port + 1, QStringLiteral("select pg_is_in_recovery()")),
                 QStringLiteral("true"));
        QCOMPARE(scalar(m_port, QStringLiteral("select rolreplication from pg_roles where "
                                               "rolname = 'replicator'")),
                 QStringLiteral("true"));

        // The Engine API sees the project's containers, both healthy in the end.
        DockerEngine engine;
        QSignalSpy listed(&engine, &DockerEngine::containersListed);
        QList<DockerContainer> containers;
        clock.restart();
        while (clock.elapsed() < 60000) {
            listed.clear();
            engine.listContainers(m_project);
            QVERIFY(listed.wait(10000));
            containers = listed.first().at(2).value<QList<DockerContainer>>();
            int healthy = 0;
            for (const DockerContainer &c : containers)
                healthy += c.health == QLatin1String("healthy");
            if (containers.size() == 2 && healthy == 2)
                break;
            QTest::qWait(1000);
        }
        QCOMPARE(containers.size(), 2);
        QStringList services;
        for (const DockerContainer &c : containers) {
            services << c.composeService;
            QCOMPARE(c.health, QStringLiteral("healthy"));
        }
        services.sort();
        QCOMPARE(services,
                 QStringList({QStringLiteral("db-primary"), QStringLiteral("db-replica-1")}));
    }

    void cleanupTestCase()
    {
        if (m_compose.isEmpty())
            return;
        QString out;
        if (!compose({QStringLiteral("down"), QStringLiteral("-v")}, &out))
            qWarning("compose down failed: %s", qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestDockerCompose)
#include "tst_dockercompose.moc"
