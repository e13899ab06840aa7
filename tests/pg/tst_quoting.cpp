// Unit tests: quoting helpers, connection parameter building and secret masking.
#include "common/secrets.h"
#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "pg/quoting.h"

#include <QtTest>

#include <libpq-fe.h>

using namespace pgdeck;

class TestQuoting : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identifiers_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << "users"
                               << "\"users\"";
        QTest::newRow("mixed case") << "MyTable"
                                    << "\"MyTable\"";
        QTest::newRow("quote") << "a\"b"
                               << "\"a\"\"b\"";
        QTest::newRow("spaces") << "order items"
                                << "\"order items\"";
        QTest::newRow("unicode") << QStringLiteral("zürich_東京")
                                 << QStringLiteral("\"zürich_東京\"");
        QTest::newRow("empty") << ""
                               << "\"\"";
    }
    void identifiers()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(sql::quoteIdent(in), out);
    }

    void qualified()
    {
        QCOMPARE(sql::quoteQualified(QStringLiteral("Sales"), QStringLiteral("order\"s")),
                 QStringLiteral("\"Sales\".\"order\"\"s\""));
        QCOMPARE(sql::quoteQualified({}, QStringLiteral("t")), QStringLiteral("\"t\""));
    }

    void literals_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << "abc"
                               << "'abc'";
        QTest::newRow("quote") << "it's"
                               << "'it''s'";
        QTest::newRow("backslash") << "a\\b"
                                   << "E'a\\\\b'";
        QTest::newRow("both") << "x'\\"
                              << "E'x''\\\\'";
        QTest::newRow("unicode") << QStringLiteral("größe") << QStringLiteral("'größe'");
    }
    void literals()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(sql::quoteLiteral(in), out);
    }

    void shellWords()
    {
        QCOMPARE(sql::shellQuote(QStringLiteral("/usr/bin/pg_ctl")),
                 QStringLiteral("/usr/bin/pg_ctl"));
        QCOMPARE(sql::shellQuote(QStringLiteral("it's here")), QStringLiteral("'it'\\''s here'"));
        QCOMPARE(sql::shellQuote(QString()), QStringLiteral("''"));
        QCOMPARE(sql::shellQuote(QStringLiteral("$HOME")), QStringLiteral("'$HOME'"));
        QCOMPARE(
            sql::shellJoin({QStringLiteral("echo"), QStringLiteral("a b"), QStringLiteral("c")}),
            QStringLiteral("echo 'a b' c"));
    }

    void conninfoFromNode()
    {
        NodeSpec n;
        n.name = QStringLiteral("w1");
        n.host = QStringLiteral("db1.example");
        n.port = 6432;
        n.dbname = QStringLiteral("my app");
        n.user = QStringLiteral("o'neil");
        n.sslmode = QStringLiteral("verify-full");
        n.sslrootcert = QStringLiteral("/etc/ssl/root.crt");
        const ConnectionParams p = ConnectionParams::fromNode(n);
        QCOMPARE(p.value(QStringLiteral("port")), QStringLiteral("6432"));
        QCOMPARE(p.value(QStringLiteral("sslmode")), QStringLiteral("verify-full"));
        QCOMPARE(p.displayName(), QStringLiteral("db1.example:6432/my app"));
        // What toConninfo writes, libpq parses back to the same values.
        QString error;
        const ConnectionParams back = ConnectionParams::parse(p.toConninfo(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(back, p);
    }

    void serviceOnlyNodeLeavesTheRestToLibpq()
    {
        NodeSpec n;
        n.name = QStringLiteral("w1");
        n.service = QStringLiteral("orders-w1");
        const ConnectionParams p = ConnectionParams::fromNode(n);
        QCOMPARE(p.items().size(), 1);
        QCOMPARE(p.value(QStringLiteral("service")), QStringLiteral("orders-w1"));
        QVERIFY(!p.has(QStringLiteral("host")));
        QCOMPARE(p.displayName(), QStringLiteral("service=orders-w1"));
    }

    void uriParsing()
    {
        QString error;
        const ConnectionParams p = ConnectionParams::parse(
            QStringLiteral(
                "postgresql://alice:s3cret@db.example:5433/app?sslmode=require&application_name=x"),
            &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(p.value(QStringLiteral("host")), QStringLiteral("db.example"));
        QCOMPARE(p.value(QStringLiteral("port")), QStringLiteral("5433"));
        QCOMPARE(p.value(QStringLiteral("sslmode")), QStringLiteral("require"));
        QVERIFY(!p.toConninfo().contains(QStringLiteral("s3cret")));
        QVERIFY(p.toConninfo().contains(QStringLiteral("password=********")));
        QVERIFY(p.toConninfo(false).contains(QStringLiteral("s3cret")));
    }

    void badConninfoNamesTheProblem()
    {
        QString error;
        ConnectionParams::parse(QStringLiteral("host=x bogus=1"), &error);
        QVERIFY2(error.contains(QStringLiteral("bogus")), qPrintable(error));
        ConnectionParams::parse(QStringLiteral("postgresql://x/db?bogus=1"), &error);
        QVERIFY2(error.contains(QStringLiteral("bogus")), qPrintable(error));
    }

    void maskingSecrets()
    {
        QCOMPARE(secrets::mask(QStringLiteral("host=x password=hunter2 user=y")),
                 QStringLiteral("host=x password=******** user=y"));
        QCOMPARE(secrets::mask(QStringLiteral("PGPASSWORD='a b' psql")),
                 QStringLiteral("PGPASSWORD=******** psql"));
        QCOMPARE(secrets::mask(QStringLiteral("postgresql://u:pw@h/db")),
                 QStringLiteral("postgresql://u:********@h/db"));
    }

    void secretPlaceholders()
    {
        QString out, error;
        qunsetenv("PGDECK_SECRET_REPL_PW");
        QVERIFY(!secrets::fill(QStringLiteral("password ${secret:repl_pw}"), &out, &error));
        QVERIFY2(error.contains(QStringLiteral("PGDECK_SECRET_REPL_PW")), qPrintable(error));
        qputenv("PGDECK_SECRET_REPL_PW", "s3");
        QVERIFY(secrets::fill(QStringLiteral("password ${secret:repl_pw}!"), &out, &error));
        QCOMPARE(out, QStringLiteral("password s3!"));
        QCOMPARE(secrets::placeholders(QStringLiteral("${secret:a} ${secret:b}")),
                 QStringList({QStringLiteral("a"), QStringLiteral("b")}));
        qunsetenv("PGDECK_SECRET_REPL_PW");
    }

    // Our SCRAM verifier must be the one libpq computes for the same salt, byte for byte.
    void scramVerifierMatchesLibpq()
    {
        PGconn *conn = PQconnectStart("host=/nonexistent-pgdeck-test");
        for (const QString &password : {QStringLiteral("pencil"), QStringLiteral("s3cr\"et: x"),
                                        QStringLiteral("pässwörd ﬁ")}) {
            char *theirs =
                PQencryptPasswordConn(conn, password.toUtf8().constData(), "u", "scram-sha-256");
            QVERIFY(theirs);
            const QString expected = QString::fromLatin1(theirs);
            PQfreemem(theirs);
            // SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>
            const QByteArray salt = QByteArray::fromBase64(expected.section(QLatin1Char('$'), 1, 1)
                                                               .section(QLatin1Char(':'), 1, 1)
                                                               .toLatin1());
            QCOMPARE(secrets::scramVerifier(password, salt), expected);
        }
        PQfinish(conn);
        qputenv("PGDECK_SECRET_ROLE_PW", "pencil");
        QString out, error;
        QVERIFY(secrets::fill(QStringLiteral("PASSWORD '${secret-scram:role_pw}'"), &out, &error));
        QVERIFY2(out.startsWith(QLatin1String("PASSWORD 'SCRAM-SHA-256$4096:")), qPrintable(out));
        QVERIFY(!out.contains(QLatin1String("pencil")));
        QVERIFY(secrets::fill(QStringLiteral("${secret-json:role_pw}"), &out, &error));
        QCOMPARE(out, QStringLiteral("\"pencil\""));
        qunsetenv("PGDECK_SECRET_ROLE_PW");
    }
};

QTEST_GUILESS_MAIN(TestQuoting)
#include "tst_quoting.moc"
