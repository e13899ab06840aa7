// The Engine API's value types and the log frame decoder, on crafted bytes.

#include "docker/dockerengine.h"
#include "docker/dockerstate.h"

#include <QTest>

using namespace pgdeck;

namespace pgdeck {
// Found by QCOMPARE through ADL: failures show the line, not "<unknown>".
char *toString(const DockerLogLine &line)
{
    return QTest::toString(QStringLiteral("[%1] %2").arg(int(line.stream)).arg(line.text));
}
} // namespace pgdeck

namespace {

using Stream = DockerLogLine::Stream;

QByteArray frame(int stream, const QByteArray &payload)
{
    QByteArray f(8, '\0');
    f[0] = char(stream);
    const quint32 n = quint32(payload.size());
    f[4] = char(n >> 24);
    f[5] = char(n >> 16);
    f[6] = char(n >> 8);
    f[7] = char(n);
    return f + payload;
}

QList<DockerLogLine> decodeInChunks(DockerLogDecoder &decoder, const QByteArray &bytes,
                                    qsizetype chunk)
{
    QList<DockerLogLine> lines;
    for (qsizetype i = 0; i < bytes.size(); i += chunk)
        lines += decoder.feed(QByteArrayView(bytes).sliced(i, qMin(chunk, bytes.size() - i)));
    lines += decoder.finish();
    return lines;
}

DockerLogLine line(Stream stream, const QString &text)
{
    DockerLogLine l;
    l.stream = stream;
    l.text = text;
    return l;
}

} // namespace

class TestDockerState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesFramesSplitAnywhere();
    void decodesLinesSplitAcrossFrames();
    void rawStreamKeepsLinesAndDropsCarriageReturns();
    void fallsBackToRawOnTextThatIsNoHeader();
    void parsesTimestamps();
    void parsesContainerList();
    void parsesInspect();
    void computesStatsLikeDockerStats();
    void parsesVersionAndComparesApiVersions();
    void parsesDockerHost();
};

void TestDockerState::decodesFramesSplitAnywhere()
{
    const QByteArray bytes = frame(1, "out 0\n") + frame(2, "err 0\n") +
                             frame(1, "out 1\nout 2\n") + frame(2, QByteArray()) +
                             frame(2, "err 1\n");
    const QList<DockerLogLine> expected{
        line(Stream::Stdout, "out 0"), line(Stream::Stderr, "err 0"), line(Stream::Stdout, "out 1"),
        line(Stream::Stdout, "out 2"), line(Stream::Stderr, "err 1")};
    // Every chunk size, including one byte at a time and headers cut in the middle.
    for (qsizetype chunk = 1; chunk <= bytes.size(); ++chunk) {
        DockerLogDecoder decoder;
        QCOMPARE(decodeInChunks(decoder, bytes, chunk), expected);
        QVERIFY(!decoder.fellBackToRaw());
    }
}

void TestDockerState::decodesLinesSplitAcrossFrames()
{
    // A long line may come in several frames; stdout and stderr are kept apart meanwhile.
    const QByteArray bytes =
        frame(1, "hel") + frame(2, "oops") + frame(1, "lo\nwor") + frame(2, "\n") + frame(1, "ld");
    DockerLogDecoder decoder;
    QCOMPARE(decodeInChunks(decoder, bytes, 5),
             (QList<DockerLogLine>{line(Stream::Stdout, "hello"), line(Stream::Stderr, "oops"),
                                   line(Stream::Stdout, "world")}));
}

void TestDockerState::rawStreamKeepsLinesAndDropsCarriageReturns()
{
    const QByteArray bytes = "tty line 1\r\ntty line 2\r\nünïcode\r\nlast";
    for (qsizetype chunk = 1; chunk <= bytes.size(); ++chunk) {
        DockerLogDecoder decoder(false);
        QCOMPARE(decodeInChunks(decoder, bytes, chunk),
                 (QList<DockerLogLine>{
                     line(Stream::Raw, "tty line 1"), line(Stream::Raw, "tty line 2"),
                     line(Stream::Raw, QStringLiteral("ünïcode")), line(Stream::Raw, "last")}));
    }
}

void TestDockerState::fallsBackToRawOnTextThatIsNoHeader()
{
    DockerLogDecoder decoder(true);
    QCOMPARE(decodeInChunks(decoder, "hello world\nsecond\n", 3),
             (QList<DockerLogLine>{line(Stream::Raw, "hello world"), line(Stream::Raw, "second")}));
    QVERIFY(decoder.fellBackToRaw());

    DockerLogDecoder shortText(true);
    QCOMPARE(decodeInChunks(shortText, "hi\n", 1), (QList<DockerLogLine>{line(Stream::Raw, "hi")}));
}

void TestDockerState::parsesTimestamps()
{
    DockerLogDecoder decoder(true, true);
    const QList<DockerLogLine> lines =
        decodeInChunks(decoder, frame(2, "2024-05-01T10:00:00.123456789Z err 1 2\n"), 4);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines[0].stream, Stream::Stderr);
    QCOMPARE(lines[0].text, QStringLiteral("err 1 2"));
    QCOMPARE(lines[0].timestamp, QDateTime(QDate(2024, 5, 1), QTime(10, 0, 0, 123), Qt::UTC));
}

void TestDockerState::parsesContainerList()
{
    const QByteArray json = R"json([{"Id":"abc","Names":["/proj-web-1"],"Image":"busybox",
        "State":"running","Status":"Up 3 minutes (healthy)","Created":1714557600,
        "Ports":[{"IP":"0.0.0.0","PrivatePort":5432,"PublicPort":15432,"Type":"tcp"},
                 {"PrivatePort":8080,"Type":"tcp"}],
        "Labels":{"com.docker.compose.project":"proj","com.docker.compose.service":"web"}},
       {"Id":"def","Names":["/other"],"Image":"x","State":"exited",
        "Status":"Exited (0) 2 hours ago","Created":1714557600,"Ports":[],"Labels":{}}])json";
    QList<DockerContainer> list;
    QString error;
    QVERIFY2(DockerContainer::parseList(json, &list, &error), qPrintable(error));
    QCOMPARE(list.size(), 2);
    const DockerContainer &web = list[0];
    QCOMPARE(web.name, QStringLiteral("proj-web-1"));
    QCOMPARE(web.health, QStringLiteral("healthy"));
    QCOMPARE(web.composeProject, QStringLiteral("proj"));
    QCOMPARE(web.composeService, QStringLiteral("web"));
    QCOMPARE(web.ports, (QList<DockerPort>{{"0.0.0.0", 5432, 15432, "tcp"}, {{}, 8080, 0, "tcp"}}));
    QCOMPARE(web.created, QDateTime::fromSecsSinceEpoch(1714557600, Qt::UTC));
    QVERIFY(web.isRunning());
    QVERIFY(list[1].health.isEmpty());
    QVERIFY(list[1].composeProject.isEmpty());
    QVERIFY(!DockerContainer::parseList("{}", &list, &error));
}

void TestDockerState::parsesInspect()
{
    const QByteArray json = R"json({"Id":"abc","Name":"/db","Created":"2024-05-01T10:00:00.5Z",
        "State":{"Status":"running","Health":{"Status":"unhealthy"}},
        "Config":{"Image":"postgres:15","Tty":true,"Labels":{"com.docker.compose.service":"db"}},
        "NetworkSettings":{"Ports":{"5432/tcp":[{"HostIp":"127.0.0.1","HostPort":"5433"}],
                                    "53/udp":null}}})json";
    DockerContainer c;
    QString error;
    QVERIFY2(DockerContainer::parseInspect(json, &c, &error), qPrintable(error));
    QCOMPARE(c.name, QStringLiteral("db"));
    QCOMPARE(c.image, QStringLiteral("postgres:15"));
    QCOMPARE(c.state, QStringLiteral("running"));
    QCOMPARE(c.health, QStringLiteral("unhealthy"));
    QVERIFY(c.tty);
    QCOMPARE(c.composeService, QStringLiteral("db"));
    QCOMPARE(c.created, QDateTime(QDate(2024, 5, 1), QTime(10, 0, 0, 500), Qt::UTC));
    QCOMPARE(c.ports.size(), 2);
    QVERIFY(c.ports.contains(DockerPort{"127.0.0.1", 5432, 5433, "tcp"}));
    QVERIFY(c.ports.contains(DockerPort{{}, 53, 0, "udp"}));
    QVERIFY(!DockerContainer::parseInspect(R"json({"message":"x"})json", &c, &error));
}

void TestDockerState::computesStatsLikeDockerStats()
{
    // cgroup v2: 200 of 1000 ns of host time, 2 CPUs → 40 %; memory minus inactive_file.
    const QByteArray v2 = R"json({"read":"2024-05-01T10:00:01.000000001Z",
        "cpu_stats":{"cpu_usage":{"total_usage":1200},"system_cpu_usage":11000,"online_cpus":2},
        "precpu_stats":{"cpu_usage":{"total_usage":1000},"system_cpu_usage":10000},
        "memory_stats":{"usage":10000,"limit":99999,"stats":{"inactive_file":3000}}})json";
    DockerStats s;
    QString error;
    QVERIFY2(DockerStats::parse(v2, &s, &error), qPrintable(error));
    QCOMPARE(s.cpuPercent, 40.0);
    QCOMPARE(s.memoryBytes, 7000);
    QCOMPARE(s.memoryLimit, 99999);
    QCOMPARE(s.sampledAt, QDateTime(QDate(2024, 5, 1), QTime(10, 0, 1), Qt::UTC));

    // cgroup v1: total_inactive_file wins; CPUs counted from percpu_usage.
    const QByteArray v1 =
        R"json({"cpu_stats":{"cpu_usage":{"total_usage":300,"percpu_usage":[1,2,3,4]},
        "system_cpu_usage":2000},"precpu_stats":{"cpu_usage":{"total_usage":100},
        "system_cpu_usage":1000},"memory_stats":{"usage":5000,
        "stats":{"total_inactive_file":1000,"inactive_file":4000}}})json";
    QVERIFY(DockerStats::parse(v1, &s, &error));
    QCOMPARE(s.onlineCpus, 4);
    QCOMPARE(s.cpuPercent, 80.0);
    QCOMPARE(s.memoryBytes, 4000);

    // A stopped container: empty sections, zeros.
    QVERIFY(DockerStats::parse(R"json({"cpu_stats":{},"precpu_stats":{},"memory_stats":{}})json",
                               &s, &error));
    QCOMPARE(s.cpuPercent, 0.0);
    QCOMPARE(s.memoryBytes, 0);
}

void TestDockerState::parsesVersionAndComparesApiVersions()
{
    DockerVersion v;
    QString error;
    QVERIFY(DockerVersion::parse(R"json({"Version":"20.10.24","ApiVersion":"1.41",
        "MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"})json",
                                 &v, &error));
    QCOMPARE(v.apiVersion, QStringLiteral("1.41"));
    QCOMPARE(v.minApiVersion, QStringLiteral("1.12"));
    QVERIFY(!DockerVersion::parse(R"json({"Version":"x"})json", &v, &error));

    const auto api = [](const char *s) { return DockerApiVersion::fromString(QLatin1String(s)); };
    QVERIFY(api("1.9") < api("1.41"));
    QVERIFY(api("1.45") > api("1.41"));
    QCOMPARE(std::min(api("1.45"), api("1.41")).toString(), QStringLiteral("1.41"));
    QVERIFY(!api("one").isValid());
}

void TestDockerState::parsesDockerHost()
{
    DockerEndpoint e;
    QString error;
    QVERIFY(DockerEndpoint::parse("unix:///run/user/1000/docker.sock", &e, &error));
    QVERIFY(e.isUnix());
    QCOMPARE(e.unixSocket, QStringLiteral("/run/user/1000/docker.sock"));
    QVERIFY(DockerEndpoint::parse("tcp://127.0.0.1:2376", &e, &error));
    QVERIFY(!e.isUnix());
    QCOMPARE(e.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(e.port, 2376);
    QCOMPARE(e.toString(), QStringLiteral("tcp://127.0.0.1:2376"));
    QVERIFY(DockerEndpoint::parse("tcp://docker.example", &e, &error));
    QCOMPARE(e.port, 2375);
    QVERIFY(!DockerEndpoint::parse("ssh://me@host", &e, &error));
    QVERIFY(error.contains(QLatin1String("ssh://me@host")));
}

QTEST_GUILESS_MAIN(TestDockerState)
#include "tst_dockerstate.moc"
