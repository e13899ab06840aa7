// ContainersPage against the real engine on the local socket: two busybox containers
// labelled as one compose project (one chatty, one with a health check), read through a
// relay socket the test can take away to play an engine that stops answering.

#include "common/emptystatewidget.h"
#include "docker/containersmodel.h"
#include "docker/containerspage.h"
#include "dockerfixture.h"
#include "sandbox/sandbox.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::DockerFixture;

namespace {

const QString project = QStringLiteral("pgdeck-tst-containers");
const QString testLabel = QStringLiteral("pgdeck.test=tst_containerspage");
const QString webName = QStringLiteral("pgdeck-tst-containers-web");
const QString dbName = QStringLiteral("pgdeck-tst-containers-db");
// "out N" on stdout and "err N" on stderr twice a second.
const QString chatter =
    QStringLiteral("i=0; while true; do echo out $i; echo err $i >&2; i=$((i+1)); sleep 0.5; done");
const QString idle = QStringLiteral("echo db ready; while true; do sleep 1; done");
constexpr int kWaitMs = 30000;

QString runContainer(const QString &name, const QString &service, const QStringList &options,
                     const QString &script)
{
    QStringList args{"run",     "-d",
                     "--name",  name,
                     "--label", testLabel,
                     "--label", "com.docker.compose.project=" + project,
                     "--label", "com.docker.compose.service=" + service};
    args << options << DockerFixture::busyboxImage() << "sh"
         << "-c" << script;
    QString output;
    if (!DockerFixture::docker(args, &output))
        return {};
    return output.trimmed().section(QLatin1Char('\n'), -1); // the id is the last line
}

void removeTestContainers()
{
    QString ids;
    if (DockerFixture::docker({"ps", "-aq", "--filter", "label=" + testLabel}, &ids) &&
        !ids.trimmed().isEmpty())
        DockerFixture::docker(QStringList{"rm", "-f"} + ids.trimmed().split('\n'));
}

// A Unix socket that passes every connection on to the engine's, until shutDown(): then
// connections break and new ones are refused, as with a daemon that went away.
class EngineRelay : public QObject {
public:
    bool listen(const QString &path)
    {
        m_path = path;
        QLocalServer::removeServer(path);
        connect(&m_server, &QLocalServer::newConnection, this, &EngineRelay::accept);
        return m_server.listen(path);
    }
    bool resume()
    {
        QLocalServer::removeServer(m_path);
        return m_server.listen(m_path);
    }
    void shutDown()
    {
        m_server.close();
        for (const QPointer<QLocalSocket> &s : std::as_const(m_sockets))
            if (s)
                s->abort();
        m_sockets.clear();
    }

private:
    void accept()
    {
        while (QLocalSocket *client = m_server.nextPendingConnection()) {
            auto *engine = new QLocalSocket(client);
            engine->connectToServer(DockerFixture::socketPath());
            if (!engine->waitForConnected(5000)) {
                client->abort();
                client->deleteLater();
                continue;
            }
            pipe(client, engine);
            pipe(engine, client);
            m_sockets << client << engine;
        }
    }
    static void pipe(QLocalSocket *from, QLocalSocket *to)
    {
        connect(from, &QLocalSocket::readyRead, to, [from, to] { to->write(from->readAll()); });
        connect(from, &QLocalSocket::disconnected, to, [to] { to->disconnectFromServer(); });
        if (from->bytesAvailable() > 0)
            to->write(from->readAll());
    }

    QString m_path;
    QLocalServer m_server;
    QList<QPointer<QLocalSocket>> m_sockets;
};

// Below the ephemeral range, away from the ports the PostgreSQL fixtures take.
int freePort()
{
    return Sandbox::findFreePorts(23500 + QRandomGenerator::global()->bounded(1000), 1);
}

QStringList logLines(const ContainersPage &page)
{
    return page.logText().split(QLatin1Char('\n'));
}

QString healthOf(const ContainersPage &page, const QString &name)
{
    for (const DockerContainer &c : page.model()->containers())
        if (c.name == name)
            return c.health;
    return QStringLiteral("(not listed)");
}

QString stateOf(const ContainersPage &page, const QString &name)
{
    for (const DockerContainer &c : page.model()->containers())
        if (c.name == name)
            return c.state;
    return QStringLiteral("(not listed)");
}

} // namespace

class TestContainersPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void formatsPortsAndSizes();
    void listsTheProjectsContainers();
    void samplesCpuAndMemory();
    void showsOneShotLogWithStreamsApart();
    void followAppendsNewLines();
    void marksRowsStaleWhenEngineStopsAnswering();
    void showsExitedContainerOnNextPoll();
    void explainsMissingSocket();

private:
    void waitForBothListed();
    void saveScreenshot();

    QString m_webId;
    QString m_dbId;
    int m_dbPort = 0;
    QTemporaryDir m_tmp;
    EngineRelay *m_relay = nullptr;
    ContainersPage *m_page = nullptr;
};

void TestContainersPage::initTestCase()
{
    QString why;
    if (!DockerFixture::engineAvailable(&why))
        QSKIP(qPrintable(QStringLiteral("no Docker engine to test against: %1").arg(why)));
    QString error;
    QVERIFY2(DockerFixture::ensureBusyboxImage(&error), qPrintable(error));
    removeTestContainers(); // a previous run may have left them
    m_webId = runContainer(webName, QStringLiteral("web"), {}, chatter);
    m_dbPort = freePort();
    QVERIFY(m_dbPort > 0);
    m_dbId = runContainer(dbName, QStringLiteral("db"),
                          {"--health-cmd", "true", "--health-interval", "1s", "-p",
                           QStringLiteral("127.0.0.1:%1:5432").arg(m_dbPort)},
                          idle);
    QVERIFY(!m_webId.isEmpty());
    QVERIFY(!m_dbId.isEmpty());
}

void TestContainersPage::cleanupTestCase()
{
    removeTestContainers();
}

void TestContainersPage::init()
{
    m_relay = new EngineRelay;
    const QString socket = m_tmp.filePath(QStringLiteral("engine.sock"));
    QVERIFY(m_relay->listen(socket));
    m_page = new ContainersPage;
    m_page->resize(1200, 800);
    m_page->setEndpoint(DockerEndpoint::local(socket));
    m_page->setInterval(1000);
    m_page->setProject(project);
    m_page->show();
    m_page->start();
}

void TestContainersPage::cleanup()
{
    delete m_page;
    m_page = nullptr;
    delete m_relay;
    m_relay = nullptr;
}

void TestContainersPage::waitForBothListed()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_page->model()->rowCount(), 2, kWaitMs);
}

void TestContainersPage::formatsPortsAndSizes()
{
    const QList<DockerPort> ports{{"0.0.0.0", 80, 8080, "tcp"},
                                  {"::", 80, 8080, "tcp"},
                                  {"127.0.0.1", 5432, 5432, "tcp"},
                                  {"::1", 53, 5353, "udp"},
                                  {"", 9000, 0, "tcp"}};
    QCOMPARE(ContainersModel::formatPorts(ports),
             QStringLiteral("0.0.0.0:8080→80/tcp, 127.0.0.1:5432→5432/tcp, [::1]:5353→53/udp, "
                            "9000/tcp"));
    QCOMPARE(ContainersModel::formatBytes(512), QStringLiteral("512 B"));
    QCOMPARE(ContainersModel::formatBytes(3 * 1024 * 1024 + 200 * 1024), QStringLiteral("3.2 MiB"));
    DockerStats stats;
    stats.memoryBytes = 1536 * 1024;
    stats.memoryLimit = qint64(8) * 1024 * 1024 * 1024;
    QCOMPARE(ContainersModel::formatMemory(stats), QStringLiteral("1.5 MiB / 8.0 GiB"));
}

void TestContainersPage::listsTheProjectsContainers()
{
    waitForBothListed();
    QVERIFY(!m_page->isShowingEmptyState());
    ContainersModel *model = m_page->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    QStringList names;
    for (const DockerContainer &c : model->containers()) {
        names << c.name;
        QCOMPARE(c.composeProject, project);
        QCOMPARE(c.image, DockerFixture::busyboxImage());
        QCOMPARE(c.state, QStringLiteral("running"));
    }
    // Ordered by service: db before web.
    QCOMPARE(names, (QStringList{dbName, webName}));
    QCOMPARE(model->index(0, ContainersModel::ServiceColumn).data().toString(), "db");
    QCOMPARE(model->index(1, ContainersModel::NameColumn).data().toString(), webName);
    QCOMPARE(
        model->index(1, ContainersModel::StateColumn).data(ContainersModel::HealthRole).toInt(),
        int(NodeStatus::Health::Up));
    QCOMPARE(model->index(0, ContainersModel::PortsColumn).data().toString(),
             QStringLiteral("127.0.0.1:%1→5432/tcp").arg(m_dbPort));
    // Without a health check there is nothing to colour.
    QCOMPARE(model->index(1, ContainersModel::HealthColumn).data().toString(), QStringLiteral("—"));
    QVERIFY(!model->index(1, ContainersModel::HealthColumn)
                 .data(ContainersModel::HealthRole)
                 .isValid());

    QTRY_COMPARE_WITH_TIMEOUT(healthOf(*m_page, dbName), QStringLiteral("healthy"), kWaitMs);
    const QModelIndex dbHealth = model->index(model->rowOf(m_dbId), ContainersModel::HealthColumn);
    QTRY_COMPARE_WITH_TIMEOUT(dbHealth.data().toString(), QStringLiteral("healthy"), kWaitMs);
    QCOMPARE(dbHealth.data(ContainersModel::HealthRole).toInt(), int(NodeStatus::Health::Up));

    // The selector offers the project (and "All containers" first).
    QVERIFY(m_page->projects().contains(project));
    auto *combo = m_page->findChild<QComboBox *>(QStringLiteral("projectCombo"));
    QVERIFY(combo);
    QCOMPARE(combo->itemData(0).toString(), QString());
    QVERIFY(combo->findData(project) > 0);
    QCOMPARE(combo->currentData().toString(), project);

    // The engine line names the version, the negotiated API and the socket.
    QTRY_VERIFY_WITH_TIMEOUT(m_page->engineLine().startsWith(QLatin1String("Docker 2")), kWaitMs);
    QVERIFY2(m_page->engineLine().contains(QLatin1String(", API 1.")),
             qPrintable(m_page->engineLine()));
    QVERIFY(m_page->engineLine().endsWith(m_tmp.filePath(QStringLiteral("engine.sock"))));
    QVERIFY(!m_page->engineLine().contains(QLatin1Char('+'))); // no "+dfsg1"

    // All containers: ours are among them, and switching back filters again.
    m_page->setProject({});
    QTRY_VERIFY_WITH_TIMEOUT(m_page->model()->rowCount() >= 2, kWaitMs);
    m_page->setProject(project);
    QCOMPARE(m_page->model()->rowCount(), 2);
}

void TestContainersPage::samplesCpuAndMemory()
{
    waitForBothListed();
    QSignalSpy selected(m_page, &ContainersPage::containerSelected);
    m_page->selectContainer(m_webId);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected[0][0].toString(), m_webId);
    QCOMPARE(m_page->selectedContainer(), m_webId);

    ContainersModel *model = m_page->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->hasStats(m_webId), kWaitMs);
    const DockerStats stats = model->stats(m_webId);
    QVERIFY(stats.memoryBytes > 0);
    QVERIFY(stats.cpuPercent >= 0);
    const int row = model->rowOf(m_webId);
    const QString memory = model->index(row, ContainersModel::MemoryColumn).data().toString();
    QVERIFY2(memory.contains(QLatin1String(" / ")), qPrintable(memory));
    QVERIFY(model->index(row, ContainersModel::CpuColumn).data().toString().endsWith("%"));

    QTRY_VERIFY_WITH_TIMEOUT(m_page->cpuPointCount() > 0, kWaitMs);
    QVERIFY(m_page->memoryPointCount() > 0);
    // More samples keep coming, one request per container at a time.
    QTRY_VERIFY_WITH_TIMEOUT(m_page->historySize(m_webId) >= 3, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_page->cpuPointCount() >= 3, kWaitMs);
    QVERIFY(m_page->historySize(m_webId) <= ContainersPage::kHistoryPoints);
}

void TestContainersPage::showsOneShotLogWithStreamsApart()
{
    waitForBothListed();
    m_page->setFollow(false);
    m_page->selectContainer(m_webId);
    QTRY_VERIFY_WITH_TIMEOUT(logLines(*m_page).contains(QStringLiteral("out 0")), kWaitMs);
    const QStringList lines = logLines(*m_page);
    QVERIFY2(lines.contains(QStringLiteral("[stderr] err 0")), qPrintable(m_page->logText()));
    for (const QString &line : lines)
        QVERIFY2(!line.startsWith(QLatin1String("err ")), qPrintable(line)); // never unmarked
    // Read once: nothing more comes.
    const int count = int(lines.size());
    QTest::qWait(1500);
    QCOMPARE(int(logLines(*m_page).size()), count);

    // The other container's log replaces it.
    m_page->selectContainer(m_dbId);
    QTRY_COMPARE_WITH_TIMEOUT(logLines(*m_page).value(0), QStringLiteral("db ready"), kWaitMs);
}

void TestContainersPage::followAppendsNewLines()
{
    waitForBothListed();
    QVERIFY(m_page->isFollowing());
    m_page->selectContainer(m_webId);
    QTRY_VERIFY_WITH_TIMEOUT(m_page->logText().contains(QLatin1String("[stderr] err")), kWaitMs);

    // A line no one could have printed before the follow started.
    const QString marker = QStringLiteral("marker %1").arg(QDateTime::currentMSecsSinceEpoch());
    QVERIFY(DockerFixture::docker(
        {"exec", webName, "sh", "-c", QStringLiteral("echo %1 > /proc/1/fd/1").arg(marker)}));
    QTRY_VERIFY_WITH_TIMEOUT(logLines(*m_page).contains(marker), kWaitMs);

    // Let the charts gather a few points for the picture.
    QTRY_VERIFY_WITH_TIMEOUT(m_page->cpuPointCount() >= 4, kWaitMs);
    saveScreenshot();

    // Off: the follow ends and a one-shot read takes its place.
    m_page->setFollow(false);
    QTRY_VERIFY_WITH_TIMEOUT(logLines(*m_page).contains(marker), kWaitMs);
}

void TestContainersPage::marksRowsStaleWhenEngineStopsAnswering()
{
    waitForBothListed();
    QVERIFY(!m_page->isStaleBannerVisible());
    m_relay->shutDown();
    QTRY_VERIFY_WITH_TIMEOUT(m_page->isStaleBannerVisible(), kWaitMs);
    QVERIFY2(m_page->staleBannerText().startsWith(QLatin1String("Engine not answering since ")),
             qPrintable(m_page->staleBannerText()));
    QVERIFY(m_page->staleBannerText().contains(m_page->engineError()));
    QVERIFY(m_page->model()->isStale());
    QCOMPARE(m_page->model()->rowCount(), 2); // the last known rows stay, greyed
    QVERIFY(!m_page->isShowingEmptyState());
    QVERIFY(m_page->engineLine().contains(QLatin1String("not answering")));

    // It keeps retrying: back to current once the engine answers again.
    QVERIFY(m_relay->resume());
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isStaleBannerVisible(), kWaitMs);
    QVERIFY(!m_page->model()->isStale());
    QVERIFY(m_page->engineError().isEmpty());
}

void TestContainersPage::showsExitedContainerOnNextPoll()
{
    waitForBothListed();
    m_page->selectContainer(m_dbId);
    QSignalSpy polled(m_page, &ContainersPage::polled);
    QVERIFY(DockerFixture::docker({"stop", "-t", "1", dbName}));
    QVERIFY(polled.wait(kWaitMs)); // the next answer already knows
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_page, dbName), QStringLiteral("exited"), 3000);
    const int row = m_page->model()->rowOf(m_dbId);
    QCOMPARE(m_page->model()
                 ->index(row, ContainersModel::StateColumn)
                 .data(ContainersModel::HealthRole)
                 .toInt(),
             int(NodeStatus::Health::Down));
    QCOMPARE(m_page->selectedContainer(), m_dbId); // the selection survives the update
    QVERIFY(!m_page->model()->hasStats(m_dbId));   // no usage shown for a stopped container
    QCOMPARE(stateOf(*m_page, webName), QStringLiteral("running"));
}

void TestContainersPage::explainsMissingSocket()
{
    const QString missing = m_tmp.filePath(QStringLiteral("no-such-dir/docker.sock"));
    ContainersPage page;
    page.resize(1200, 800);
    page.setEndpoint(DockerEndpoint::local(missing));
    page.setInterval(300);
    page.show();
    QSignalSpy polled(&page, &ContainersPage::polled);
    page.start();
    QTRY_VERIFY_WITH_TIMEOUT(page.isShowingEmptyState(), kWaitMs);
    QVERIFY2(page.engineError().contains(QLatin1String("No such file or directory")),
             qPrintable(page.engineError()));
    QVERIFY(page.engineError().contains(missing));
    QVERIFY(!page.isStaleBannerVisible()); // nothing was shown, so nothing is stale

    auto *empty = page.findChild<EmptyStateWidget *>(QStringLiteral("engineEmptyState"));
    QVERIFY(empty && empty->isVisible());
    QStringList texts;
    for (const QLabel *label : empty->findChildren<QLabel *>())
        texts << label->text();
    QVERIFY2(texts.join('\n').contains(page.engineError()), qPrintable(texts.join('\n')));
    QCOMPARE(page.model()->rowCount(), 0);

    // Retried at the interval.
    QTRY_VERIFY_WITH_TIMEOUT(polled.size() >= 3, kWaitMs);
    for (const QList<QVariant> &args : polled)
        QVERIFY(!args[0].toBool());
    QVERIFY(page.isShowingEmptyState());
}

void TestContainersPage::saveScreenshot()
{
    const QImage image = m_page->grab().toImage();
    QVERIFY(image.save(QStringLiteral("/tmp/containers-page.png")));
    const QString dir = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("containers.png"))));
    }
}

QTEST_MAIN(TestContainersPage)
#include "tst_containerspage.moc"
