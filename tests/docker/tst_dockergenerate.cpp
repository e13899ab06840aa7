// `pgdeckctl docker init|validate` on a sample Node.js app: the generated files for a single
// server, a primary with replicas and a Citus cluster pass Docker Compose's own validation
// (and yamllint and shellcheck), read back as asked (ports on 127.0.0.1, health checks,
// depends_on healthy, named volumes, no secret inlined), and the user's edits are shown as a
// diff and never replaced silently.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <yaml-cpp/yaml.h>

class TestDockerGenerate : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_next = 0;

    // Exit code, or -1 when the program did not start, crashed or hung.
    static int run(const QString &program, const QStringList &args, QString *output)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        const bool finished = p.waitForFinished(60000);
        *output = QString::fromUtf8(p.readAll());
        return finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    static int ctl(const QStringList &args, QString *output)
    {
        return run(qEnvironmentVariable("PGDECKCTL"), args, output);
    }

    // A fresh copy of the sample app.
    QString sampleApp()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("app%1").arg(++m_next));
        const QString source = qEnvironmentVariable("PGDECK_SOURCE_DIR") +
                               QStringLiteral("/tests/docker/sample-node-app");
        QDir().mkpath(dir);
        for (const QString &f : QDir(source).entryList(QDir::Files))
            QFile::copy(source + QLatin1Char('/') + f, dir + QLatin1Char('/') + f);
        return dir;
    }

    static QString read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

    static bool write(const QString &path, const QString &content)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(content.toUtf8()) == content.toUtf8().size();
    }

    // pgdeckctl docker init --dir DIR --write ...; returns its exit code.
    static int init(const QString &dir, const QStringList &options, QString *output)
    {
        return ctl(QStringList{QStringLiteral("docker"), QStringLiteral("init"),
                               QStringLiteral("--dir"), dir, QStringLiteral("--write")} +
                       options,
                   output);
    }

    static QString envValue(const QString &dir, const QString &key)
    {
        for (const QString &line : read(dir + QStringLiteral("/.env")).split(QLatin1Char('\n')))
            if (line.startsWith(key + QLatin1Char('=')))
                return line.mid(key.size() + 1);
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("docker-compose")).isEmpty() &&
            QProcess::execute(QStringLiteral("docker"),
                              {QStringLiteral("compose"), QStringLiteral("version")}) != 0)
            QSKIP("Docker Compose is not installed (apt-get install docker-compose)");
        QVERIFY(m_tmp.isValid());
    }

    void eachShapeValidatesAndReadsBack_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QStringList>("databases");
        QTest::newRow("single") << QStringList{QStringLiteral("--db"), QStringLiteral("single")}
                                << QStringList{QStringLiteral("db")};
        QTest::newRow("replicated")
            << QStringList{QStringLiteral("--db"), QStringLiteral("replicated"),
                           QStringLiteral("--replicas"), QStringLiteral("2")}
            << QStringList{QStringLiteral("db-primary"), QStringLiteral("db-replica-1"),
                           QStringLiteral("db-replica-2")};
        QTest::newRow("citus") << QStringList{QStringLiteral("--db"), QStringLiteral("citus"),
                                              QStringLiteral("--workers"), QStringLiteral("2")}
                               << QStringList{QStringLiteral("coordinator"),
                                              QStringLiteral("worker-1"),
                                              QStringLiteral("worker-2")};
    }

    void eachShapeValidatesAndReadsBack()
    {
        QFETCH(QStringList, options);
        QFETCH(QStringList, databases);
        const QString dir = sampleApp();
        QString out;
        QCOMPARE(ctl(QStringList{QStringLiteral("docker"), QStringLiteral("init"),
                                 QStringLiteral("--dir"), dir, QStringLiteral("--write")} +
                         options,
                     &out),
                 0);
        QCOMPARE(ctl({QStringLiteral("docker"), QStringLiteral("validate"), QStringLiteral("--dir"),
                      dir},
                     &out),
                 0);
        QVERIFY2(out.startsWith(QLatin1String("valid")), qPrintable(out));

        // Secrets live in .env (0600), never in the compose file.
        QCOMPARE(QFile(dir + QStringLiteral("/.env")).permissions() &
                     (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
        const QString password = envValue(dir, QStringLiteral("POSTGRES_PASSWORD"));
        QVERIFY(password.size() >= 20);
        const QString composeText = read(dir + QStringLiteral("/docker-compose.yml"));
        QVERIFY(!composeText.contains(password));

        const YAML::Node compose =
            YAML::LoadFile((dir + QStringLiteral("/docker-compose.yml")).toStdString());
        const YAML::Node services = compose["services"];
        for (const QString &db : databases) {
            const YAML::Node service = services[db.toStdString()];
            QVERIFY2(service, qPrintable(db));
            const std::string test = service["healthcheck"]["test"][1].as<std::string>();
            QVERIFY2(QString::fromStdString(test).startsWith(QLatin1String("pg_isready")),
                     qPrintable(db));
            QVERIFY(compose["volumes"][(db + QStringLiteral("-data")).toStdString()]);
        }
        // Every published port is on 127.0.0.1 unless asked otherwise.
        int published = 0;
        for (const auto &service : services)
            for (const YAML::Node &port : service.second["ports"]) {
                QVERIFY2(QString::fromStdString(port.as<std::string>())
                             .startsWith(QLatin1String("127.0.0.1:")),
                         port.as<std::string>().c_str());
                ++published;
            }
        QVERIFY(published >= 2);
        const YAML::Node app = services["app"];
        QCOMPARE(app["build"].as<std::string>(), std::string("."));
        QCOMPARE(app["depends_on"][databases.first().toStdString()]["condition"].as<std::string>(),
                 std::string("service_healthy"));

        // The Dockerfile is the production shape; the init script is valid sh.
        const QString dockerfile = read(dir + QStringLiteral("/Dockerfile"));
        for (const char *line : {"FROM node:18 AS deps", "RUN npm ci --omit=dev", "USER node",
                                 "HEALTHCHECK", "EXPOSE 3000", "CMD [\"node\", \"server.js\"]"})
            QVERIFY2(dockerfile.contains(QLatin1String(line)), line);
        QVERIFY(read(dir + QStringLiteral("/.dockerignore")).contains(QLatin1String("\n.env\n")));
        if (QFile::exists(dir + QStringLiteral("/initdb/10-replication.sh")))
            QCOMPARE(QProcess::execute(
                         QStringLiteral("sh"),
                         {QStringLiteral("-n"), dir + QStringLiteral("/initdb/10-replication.sh")}),
                     0);
    }

    // The checkers users run in their editors and CI accept what we write, and do refuse a
    // broken file, so their pass means something.
    void usersLintersAcceptTheFiles()
    {
        const QString yamllint = QStandardPaths::findExecutable(QStringLiteral("yamllint"));
        const QString shellcheck = QStandardPaths::findExecutable(QStringLiteral("shellcheck"));
        if (yamllint.isEmpty() || shellcheck.isEmpty())
            QSKIP("yamllint and shellcheck are needed (apt-get install yamllint shellcheck)");
        const QString dir = sampleApp();
        QString out;
        QCOMPARE(init(dir, {QStringLiteral("--db"), QStringLiteral("replicated")}, &out), 0);
        const QString compose = dir + QStringLiteral("/docker-compose.yml");
        const QString script = dir + QStringLiteral("/initdb/10-replication.sh");
        const QStringList yamlArgs{QStringLiteral("-s"), QStringLiteral("-d"),
                                   QStringLiteral("{extends: default, rules: {line-length: "
                                                  "{max: 120}, document-start: disable}}")};
        QVERIFY2(run(yamllint, yamlArgs + QStringList{compose}, &out) == 0, qPrintable(out));
        QVERIFY2(run(shellcheck, {QStringLiteral("-s"), QStringLiteral("sh"), script}, &out) == 0,
                 qPrintable(out));

        // A duplicate key, which YAML forbids and yamllint reports.
        QVERIFY(write(compose, read(compose) + QStringLiteral("services:\n  again: {}\n")));
        QCOMPARE(run(yamllint, yamlArgs + QStringList{compose}, &out), 1);
    }

    void openPortsPublishEverywhere()
    {
        const QString dir = sampleApp();
        QString out;
        QCOMPARE(ctl({QStringLiteral("docker"), QStringLiteral("init"), QStringLiteral("--dir"),
                      dir, QStringLiteral("--open-ports"), QStringLiteral("--write")},
                     &out),
                 0);
        const QString compose = read(dir + QStringLiteral("/docker-compose.yml"));
        QVERIFY2(compose.contains(QLatin1String("\"5432:5432\"")), qPrintable(compose));
        QVERIFY(!compose.contains(QLatin1String("127.0.0.1:")));
    }

    void editsAreShownAndKept()
    {
        const QString dir = sampleApp();
        QString out;
        QCOMPARE(init(dir, {}, &out), 0);
        const QString env = read(dir + QStringLiteral("/.env"));
        // The user edits the compose file by hand.
        QString compose = read(dir + QStringLiteral("/docker-compose.yml"));
        compose.replace(QStringLiteral("restart: unless-stopped"),
                        QStringLiteral("restart: always"));
        QVERIFY(write(dir + QStringLiteral("/docker-compose.yml"), compose));

        QCOMPARE(init(dir, {}, &out), 0);
        QVERIFY2(out.contains(QLatin1String("changed    docker-compose.yml")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("-    restart: always")) &&
                     out.contains(QLatin1String("+    restart: unless-stopped")),
                 qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression(QStringLiteral("(^|\\n)kept +\\.env\\n"))),
                 qPrintable(out));
        QCOMPARE(read(dir + QStringLiteral("/docker-compose.yml")), compose); // not replaced
        QCOMPARE(read(dir + QStringLiteral("/.env")), env);

        QCOMPARE(init(dir, {QStringLiteral("--force")}, &out), 0);
        QVERIFY(read(dir + QStringLiteral("/docker-compose.yml"))
                    .contains(QLatin1String("unless-stopped")));
        QCOMPARE(read(dir + QStringLiteral("/.env")), env); // secrets are never regenerated
    }

    void brokenFilesAndBadInputAreNamed()
    {
        const QString dir = sampleApp();
        QString out;
        QCOMPARE(init(dir, {}, &out), 0);
        QString compose = read(dir + QStringLiteral("/docker-compose.yml"));
        compose.replace(QStringLiteral("    restart: unless-stopped\n"),
                        QStringLiteral("    restart: unless-stopped\n    restartt: oops\n"));
        QVERIFY(write(dir + QStringLiteral("/docker-compose.yml"), compose));
        QCOMPARE(ctl({QStringLiteral("docker"), QStringLiteral("validate"), QStringLiteral("--dir"),
                      dir},
                     &out),
                 1);
        QVERIFY2(out.startsWith(QLatin1String("invalid")) &&
                     out.contains(QLatin1String("restartt")),
                 qPrintable(out));

        QCOMPARE(ctl({QStringLiteral("docker"), QStringLiteral("init"), QStringLiteral("--dir"),
                      dir, QStringLiteral("--db"), QStringLiteral("sharded")},
                     &out),
                 2);
        QVERIFY2(out.contains(QLatin1String("--db takes single, replicated or citus")),
                 qPrintable(out));
        QCOMPARE(ctl({QStringLiteral("docker"), QStringLiteral("init"), QStringLiteral("--dir"),
                      dir, QStringLiteral("--db"), QStringLiteral("replicated"),
                      QStringLiteral("--replicas"), QStringLiteral("0"), QStringLiteral("--write")},
                     &out),
                 2);
        QVERIFY2(out.contains(QLatin1String("replicas must be 1 to 9, not 0")), qPrintable(out));
        QVERIFY(!QFile::exists(dir + QStringLiteral("/initdb")));
    }
};

QTEST_GUILESS_MAIN(TestDockerGenerate)
#include "tst_dockergenerate.moc"
