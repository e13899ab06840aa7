// The container deployment wizard end to end against the local Docker engine: the project
// page detects the sample Node.js app and refuses a bad project name; the files page writes
// the generated files, shows a hand edit as a diff and keeps it, shows Compose's own words
// for a broken file and replaces the edit only when asked; the run page starts a primary
// with one streaming replica and the app, waits for health, writes the passwords to
// PGPASSFILE and hands the cluster to the console. Needs the locally built postgres:15 and
// node:18 images. The Files and Run pages are saved as PNGs.
#include "common/planrunview.h"
#include "docker/composeactions.h"
#include "docker/composeplanner.h"
#include "docker/composetool.h"
#include "docker/containersmodel.h"
#include "docker/containerspage.h"
#include "docker/dockerdatabasepage.h"
#include "docker/dockerfilespage.h"
#include "docker/dockerprojectpage.h"
#include "docker/dockerrunpage.h"
#include "docker/dockerwizard.h"
#include "dockerfixture.h"
#include "pg/pgconnection.h"
#include "pg/pgresult.h"
#include "plan/plan.h"
#include "plan/planexecutor.h"
#include "sandbox/sandbox.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <memory>

using namespace pgdeck;
using pgdeck::test::DockerFixture;

namespace {

QString readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool writeFile(const QString &path, const QString &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) >= 0;
}

const QString kComment = QStringLiteral("# tuned by hand");

} // namespace

class TestDockerWizard : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_dir;
    QString m_project;
    int m_port = 0;
    int m_appPort = 0;
    QString m_otherDir;     // a second deployment on the same ports, which must fail
    bool m_started = false; // containers may exist: take them down at the end
    bool m_otherStarted = false;
    std::unique_ptr<DockerWizard> m_wizard;
    QList<ClusterSpec> m_ready;

    QString composeFile() const
    {
        return QDir(m_dir).filePath(QStringLiteral("docker-compose.yml"));
    }
    QAbstractButton *nextButton() const { return m_wizard->button(QWizard::NextButton); }

    // Every page goes to /tmp; the published ones also to $PGDECK_SCREENSHOT_DIR.
    void grab(QWidget *window, const QString &name, bool publish = true)
    {
        QCoreApplication::processEvents();
        const QImage image = window->grab().toImage();
        QVERIFY(!image.isNull());
        const QString file = QStringLiteral("docker-wizard-%1.png").arg(name);
        QVERIFY(image.save(QStringLiteral("/tmp/") + file));
        const QString shots = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
        if (publish && !shots.isEmpty()) {
            QDir().mkpath(shots);
            QVERIFY(image.save(QDir(shots).filePath(file)));
        }
    }

    // No password here: libpq reads it from the PGPASSFILE the wizard wrote.
    static QString scalar(int port, const QString &sql)
    {
        PgConnection c;
        c.setParams(ConnectionParams::parse(
            QStringLiteral("host=127.0.0.1 port=%1 dbname=app user=app connect_timeout=3")
                .arg(port)));
        if (!c.waitForReady(5000))
            return QStringLiteral("error: ") + c.lastError();
        const PgResult r = c.execSync(sql);
        return r.ok() ? r.scalar().toString() : QStringLiteral("error: ") + r.errorMessage();
    }

    // `down --volumes` as a plan, else by hand: no container or volume is left behind.
    static void takeDown(const QString &dir, const QString &name)
    {
        ComposeProject project;
        project.dir = dir;
        project.name = name;
        project.compose = ComposeTool::detect();
        if (project.compose.isEmpty())
            return;
        PlanExecutor executor;
        QSignalSpy done(&executor, &PlanExecutor::finished);
        QString error;
        if (executor.start(composeplans::down(project, true), &error) && done.wait(180000) &&
            done.first().at(0).toBool())
            return;
        qWarning("down plan failed (%s); removing the containers by hand", qPrintable(error));
        const QStringList down =
            project.command({QStringLiteral("down"), QStringLiteral("--volumes"),
                             QStringLiteral("--remove-orphans")});
        QProcess::execute(down.first(), down.mid(1));
    }

    // The application image Compose built (v1 names it project_app, v2 project-app).
    static void removeBuiltImage(const QString &name)
    {
        for (const QString &image :
             {name + QStringLiteral("_app"), name + QStringLiteral("-app")}) {
            QString out;
            if (DockerFixture::docker(
                    {QStringLiteral("image"), QStringLiteral("inspect"), image}) &&
                !DockerFixture::docker({QStringLiteral("image"), QStringLiteral("rm"), image},
                                       &out))
                qWarning("could not remove image %s: %s", qPrintable(image), qPrintable(out));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = DockerFixture::whyNoImages(); !why.isEmpty())
            QSKIP(qPrintable(why));
        // Before anything reads it: the user's own ~/.pgpass is never touched.
        qputenv("PGPASSFILE", m_tmp.filePath(QStringLiteral("pgpass")).toUtf8());
        QString error;
        QVERIFY2(DockerFixture::ensureImages(&error), qPrintable(error));
        QVERIFY2(!ComposeTool::detect(nullptr, &error).isEmpty(), qPrintable(error));

        m_project = QStringLiteral("pgdeckwiz%1").arg(QRandomGenerator::global()->bounded(100000));
        m_port = Sandbox::findFreePorts(22000 + QRandomGenerator::global()->bounded(1500), 2);
        m_appPort = Sandbox::findFreePorts(m_port + 10, 1);
        m_dir = m_tmp.filePath(QStringLiteral("Sample-App"));
        m_otherDir = m_tmp.filePath(QStringLiteral("other"));
        QVERIFY2(DockerFixture::copySampleApp(m_dir) && DockerFixture::copySampleApp(m_otherDir),
                 "cannot copy the sample app");

        m_wizard = std::make_unique<DockerWizard>();
        connect(m_wizard.get(), &DockerWizard::deploymentReady, this,
                [this](const ClusterSpec &cluster) { m_ready << cluster; });
        m_wizard->resize(1000, 720);
        m_wizard->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_wizard.get()));
    }

    void cleanupTestCase()
    {
        if (m_wizard && m_wizard->runPage()->isRunning()) {
            m_wizard->runPage()->cancel();
            QTRY_VERIFY_WITH_TIMEOUT(!m_wizard->runPage()->isRunning(), 60000);
        }
        m_wizard.reset();
        if (m_otherStarted) {
            takeDown(m_otherDir, m_project + QStringLiteral("b"));
            removeBuiltImage(m_project + QStringLiteral("b"));
        }
        if (m_started) {
            takeDown(m_dir, m_project);
            removeBuiltImage(m_project);
        }
    }

    // The run view alone: a cancelled step and a failed one, each resumed from the journal.
    void planRunViewCancelsAndResumes()
    {
        const QString gate = m_tmp.filePath(QStringLiteral("gate"));
        const QString gate2 = m_tmp.filePath(QStringLiteral("gate2"));
        Plan plan(QStringLiteral("Run view"), QStringLiteral("runview"));
        plan.add(steps::command(QStringLiteral("hello"), QStringLiteral("Say hello"), HostTarget{},
                                {QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("echo hello from the plan")}));
        plan.add(steps::command(QStringLiteral("gate"), QStringLiteral("Wait at the gate"),
                                HostTarget{},
                                {QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("test -f '%1' || sleep 30").arg(gate)}));
        plan.add(steps::command(
            QStringLiteral("check"), QStringLiteral("Check the second gate"), HostTarget{},
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("test -f '%1' || { echo 'the second gate is shut' >&2; exit 3; }")
                 .arg(gate2)}));
        PlanRunView view;
        view.resize(800, 500);
        view.setPlan(plan);
        QCOMPARE(view.stepCount(), 3);
        QCOMPARE(view.stepState(0), PlanRunView::StepState::Pending);
        QSignalSpy finished(&view, &PlanRunView::finished);

        QString error;
        QVERIFY2(view.start(&error), qPrintable(error));
        QVERIFY(view.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(view.stepState(1), PlanRunView::StepState::Running, 10000);
        QCOMPARE(view.stepState(0), PlanRunView::StepState::Done);
        view.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        QCOMPARE(view.stepState(1), PlanRunView::StepState::Cancelled);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(view.canResume());

        QVERIFY(writeFile(gate, QString()));
        QVERIFY2(view.resume(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        QCOMPARE(view.stepState(0), PlanRunView::StepState::Done);
        QCOMPARE(view.stepState(1), PlanRunView::StepState::Done);
        QCOMPARE(view.stepState(2), PlanRunView::StepState::Failed);
        QVERIFY2(view.failure().contains(QLatin1String("Check the second gate")),
                 qPrintable(view.failure()));
        QVERIFY2(view.statusText().contains(QLatin1String("the second gate is shut")),
                 qPrintable(view.statusText()));
        QVERIFY(view.stepsTree()
                    ->topLevelItem(2)
                    ->toolTip(PlanRunView::StateColumn)
                    .contains(QLatin1String("the second gate is shut")));

        QVERIFY(writeFile(gate2, QString()));
        QVERIFY2(view.resume(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        QVERIFY(view.hasSucceeded());
        for (int i = 0; i < view.stepCount(); ++i)
            QCOMPARE(view.stepState(i), PlanRunView::StepState::Done);
        QVERIFY(view.outputView()->toPlainText().contains(QLatin1String("hello from the plan")));
        QCOMPARE(finished.size(), 3);
        QCOMPARE(finished.last().at(0).toBool(), true);
    }

    void projectPageDetectsTheAppAndRefusesBadNames()
    {
        QCOMPARE(m_wizard->currentId(), int(DockerWizard::ProjectPageId));
        DockerProjectPage *page = m_wizard->projectPage();
        QVERIFY(!page->isComplete()); // no directory yet
        QVERIFY(!nextButton()->isEnabled());

        m_wizard->setProjectDirectory(m_dir);
        QCOMPARE(page->appCombo()->currentData().toInt(), int(Deployment::App::Node));
        QCOMPARE(page->entryEdit()->text(), QStringLiteral("server.js")); // package.json's main
        QCOMPARE(page->projectEdit()->text(), QStringLiteral("sample-app"));
        QVERIFY(page->isComplete());

        page->projectEdit()->setText(QStringLiteral("Bad Name!"));
        QVERIFY(!page->isComplete());
        QVERIFY(!nextButton()->isEnabled());
        QVERIFY(page->errorsLabel()->isVisible());
        QVERIFY2(page->errorsLabel()->text().contains(QLatin1String("\"Bad Name!\"")),
                 qPrintable(page->errorsLabel()->text()));
        QVERIFY(page->errorsLabel()->styleSheet().contains(QLatin1String("#c62828")));

        page->projectEdit()->setText(m_project);
        page->appPortSpin()->setValue(m_appPort);
        QVERIFY2(page->isComplete(), qPrintable(page->errors().join(QLatin1Char('\n'))));
        QVERIFY(!page->errorsLabel()->isVisible());
        QVERIFY(nextButton()->isEnabled());
        QCOMPARE(m_wizard->deployment().project, m_project);
        grab(m_wizard.get(), QStringLiteral("project"), false);
    }

    void databasePageReplicated()
    {
        m_wizard->next();
        QCOMPARE(m_wizard->currentId(), int(DockerWizard::DatabasePageId));
        DockerDatabasePage *page = m_wizard->databasePage();
        QVERIFY(page->singleRadio()->isChecked());
        QVERIFY(!page->replicasSpin()->isEnabled());
        QVERIFY(!page->openPortsCheck()->isChecked());

        page->replicatedRadio()->setChecked(true);
        QVERIFY(page->replicasSpin()->isEnabled());
        QVERIFY(!page->workersSpin()->isEnabled());
        page->replicasSpin()->setValue(1);
        page->portSpin()->setValue(m_port);

        page->openPortsCheck()->setChecked(true);
        QVERIFY(page->openPortsWarning()->isVisible());
        page->openPortsCheck()->setChecked(false);
        QVERIFY(!page->openPortsWarning()->isVisible());

        // The replica's port on the application's: refused in place.
        page->portSpin()->setValue(m_appPort - 1);
        QVERIFY(!page->isComplete());
        QVERIFY(page->errorsLabel()->text().contains(QLatin1String("replica 1")));
        page->portSpin()->setValue(m_port);
        QVERIFY(page->isComplete());

        const Deployment d = m_wizard->deployment();
        QCOMPARE(d.database, Deployment::Database::Replicated);
        QCOMPARE(d.replicas, 1);
        QCOMPARE(d.dbHostPort, m_port);
        QVERIFY(!d.openPorts);
        grab(m_wizard.get(), QStringLiteral("database"), false);
    }

    void filesPageWritesAndValidates()
    {
        m_wizard->next();
        QCOMPARE(m_wizard->currentId(), int(DockerWizard::FilesPageId));
        DockerFilesPage *page = m_wizard->filesPage();
        QVERIFY(!page->proposals().isEmpty());
        for (const FileProposal &p : page->proposals())
            QVERIFY2(p.state == FileProposal::State::New, qPrintable(p.file.path));
        QVERIFY(!page->isComplete());
        QVERIFY(!page->replaceEditedCheck()->isChecked());
        QVERIFY(page->selectFile(QStringLiteral("docker-compose.yml")));
        QVERIFY(page->contentView()->toPlainText().contains(QLatin1String("db-replica-1")));

        page->writeButton()->click();
        QVERIFY(QFile::exists(composeFile()));
        QTRY_VERIFY_WITH_TIMEOUT(!page->isChecking(), 60000);
        QVERIFY2(page->isValid(), qPrintable(page->checkMessage()));
        QVERIFY2(page->checkMessage().contains(QLatin1String("valid (")),
                 qPrintable(page->checkMessage()));
        QVERIFY(page->checkLabel()->styleSheet().contains(QLatin1String("#2e7d32")));
        QVERIFY(!m_wizard->composeCommand().isEmpty());
        QVERIFY(page->isComplete());
        QVERIFY(nextButton()->isEnabled());
        for (const FileProposal &p : page->proposals())
            QVERIFY2(p.state == FileProposal::State::Same || p.state == FileProposal::State::Kept,
                     qPrintable(p.file.path));
    }

    void handEditIsShownAndKept()
    {
        DockerFilesPage *page = m_wizard->filesPage();
        QString text = readFile(composeFile());
        const int restart = text.indexOf(QLatin1String("restart: unless-stopped"));
        QVERIFY(restart > 0);
        text.replace(restart, int(qstrlen("restart: unless-stopped")),
                     QStringLiteral("restart: always"));
        QVERIFY(writeFile(composeFile(), text + kComment + QLatin1Char('\n')));

        m_wizard->back();
        m_wizard->next(); // the page compares again on the way in
        QCOMPARE(m_wizard->currentId(), int(DockerWizard::FilesPageId));
        QCOMPARE(page->stateOf(QStringLiteral("docker-compose.yml")), FileProposal::State::Changed);
        QVERIFY(page->selectFile(QStringLiteral("docker-compose.yml")));
        const QTreeWidgetItem *item = page->fileList()->currentItem();
        QCOMPARE(item->text(FileProposalView::StateColumn), QStringLiteral("differs"));
        const QString diff = page->contentView()->toPlainText();
        QVERIFY2(diff.contains(QLatin1Char('-') + kComment), qPrintable(diff));
        QVERIFY2(diff.contains(QLatin1String("-    restart: always")) &&
                     diff.contains(QLatin1String("+    restart: unless-stopped")),
                 qPrintable(diff));
        QTRY_VERIFY_WITH_TIMEOUT(!page->isChecking(), 60000);
        QVERIFY2(page->isValid(), qPrintable(page->checkMessage())); // still a valid file
        grab(m_wizard.get(), QStringLiteral("files"));

        page->writeButton()->click();
        QVERIFY(readFile(composeFile()).contains(kComment));
        QVERIFY(readFile(composeFile()).contains(QLatin1String("restart: always")));
        QVERIFY2(page->writeStatusLabel()->text().contains(QLatin1String("Kept your edited")),
                 qPrintable(page->writeStatusLabel()->text()));
        QCOMPARE(page->stateOf(QStringLiteral("docker-compose.yml")), FileProposal::State::Changed);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isChecking(), 60000);
        QVERIFY(page->isValid());
    }

    void brokenFileGetsComposesOwnWords()
    {
        DockerFilesPage *page = m_wizard->filesPage();
        QVERIFY(writeFile(composeFile(), QStringLiteral("services: [\n")));
        page->refresh();
        QVERIFY(!page->isComplete()); // while Compose reads it, and after
        QTRY_VERIFY_WITH_TIMEOUT(!page->isChecking(), 60000);
        QVERIFY(!page->isValid());
        QVERIFY(!page->isComplete());
        QVERIFY(!nextButton()->isEnabled());
        const QString message = page->checkMessage();
        QVERIFY2(message.contains(QLatin1String("refuses the files")), qPrintable(message));
        // Compose's own parser error: it names what it could not read.
        QVERIFY2(message.contains(QLatin1String("docker-compose.yml")) ||
                     message.contains(QLatin1String("yaml"), Qt::CaseInsensitive),
                 qPrintable(message));
        QVERIFY(page->checkLabel()->styleSheet().contains(QLatin1String("#c62828")));

        page->writeButton()->click(); // without the checkbox: the broken file stays
        QCOMPARE(readFile(composeFile()), QStringLiteral("services: [\n"));
        QTRY_VERIFY_WITH_TIMEOUT(!page->isChecking(), 60000);
        QVERIFY(!page->isComplete());
    }

    void replaceRestoresTheGeneratedFile()
    {
        DockerFilesPage *page = m_wizard->filesPage();
        page->replaceEditedCheck()->setChecked(true);
        page->writeButton()->click();
        const QString text = readFile(composeFile());
        QVERIFY(!text.contains(kComment));
        QVERIFY(text.contains(QLatin1String("db-replica-1")));
        QCOMPARE(page->stateOf(QStringLiteral("docker-compose.yml")), FileProposal::State::Same);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isChecking(), 60000);
        QVERIFY2(page->isValid(), qPrintable(page->checkMessage()));
        QVERIFY(page->isComplete());
        QVERIFY(nextButton()->isEnabled());
    }

    void runPageStartsEverythingAndHandsOverTheCluster()
    {
        m_wizard->next();
        QCOMPARE(m_wizard->currentId(), int(DockerWizard::RunPageId));
        DockerRunPage *page = m_wizard->runPage();
        QTRY_VERIFY_WITH_TIMEOUT(
            page->isReady() || page->runView()->statusText().contains(QLatin1String("refuses")),
            60000);
        QVERIFY2(page->isReady(), qPrintable(page->runView()->statusText()));
        QVERIFY(page->inventoryCheck()->isChecked());
        QVERIFY(page->startButton()->isEnabled());
        const Plan plan = page->runView()->plan();
        QStringList waits;
        for (const PlanStep &s : plan.steps())
            if (s.id.startsWith(QLatin1String("wait-")))
                waits << s.id;
        waits.sort();
        QCOMPARE(waits, (QStringList{QStringLiteral("wait-app"), QStringLiteral("wait-db-primary"),
                                     QStringLiteral("wait-db-replica-1")}));

        m_started = true;
        QElapsedTimer clock;
        clock.start();
        page->startButton()->click();
        QVERIFY(page->isRunning());
        QVERIFY(!page->isComplete());
        QVERIFY(page->cancelButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!page->isRunning(), 300000);
        qInfo("the deployment took %.1f s", clock.elapsed() / 1000.0);
        QVERIFY2(page->hasSucceeded(),
                 qPrintable(page->runView()->failure() + QLatin1Char('\n') +
                            page->runView()->outputView()->toPlainText().right(3000)));

        PlanRunView *run = page->runView();
        for (int i = 0; i < plan.steps().size(); ++i)
            if (plan.steps()[i].id.startsWith(QLatin1String("wait-")))
                QCOMPARE(run->stepState(i), PlanRunView::StepState::Done);
        // Compose's own output arrived in the pane.
        QVERIFY(run->outputView()->toPlainText().contains(QLatin1String("Wait until app is")));
        QVERIFY(!page->resumeButton()->isVisible());
        QVERIFY(m_wizard->button(QWizard::FinishButton)->isEnabled());

        QCOMPARE(m_ready.size(), 1);
        const ClusterSpec cluster = m_ready.first();
        QCOMPARE(cluster.name, m_project);
        QCOMPARE(cluster.nodes.size(), 2);
        const NodeSpec *primary = cluster.node(QStringLiteral("db-primary"));
        const NodeSpec *replica = cluster.node(QStringLiteral("db-replica-1"));
        QVERIFY(primary && replica);
        QCOMPARE(primary->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(replica->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(primary->port, m_port);
        QCOMPARE(replica->port, m_port + 1);

        QFile pgpass(qEnvironmentVariable("PGPASSFILE"));
        QVERIFY(pgpass.open(QIODevice::ReadOnly));
        QCOMPARE(pgpass.readAll().count('\n'), 2);
        QCOMPARE(int(pgpass.permissions() & 0x0077), 0);
        grab(m_wizard.get(), QStringLiteral("run"));
    }

    void replicaStreamsWithThePasswordFile()
    {
        QVERIFY(m_started);
        QElapsedTimer clock;
        clock.start();
        QString count;
        while (clock.elapsed() < 60000) {
            count = scalar(m_port, QStringLiteral("select count(*) from pg_stat_replication"));
            if (count == QLatin1String("1"))
                break;
            QTest::qWait(1000);
        }
        QCOMPARE(count, QStringLiteral("1"));
    }

    // A second deployment on the same host ports: the run stops at `up` with the engine's
    // own words, the wizard stays open, and Resume is offered.
    void failureShowsTheEnginesWordsAndStaysOpen()
    {
        QVERIFY(m_started);
        DockerWizard other;
        QSignalSpy ready(&other, &DockerWizard::deploymentReady);
        other.resize(1000, 720);
        other.show();
        other.setProjectDirectory(m_otherDir);
        other.projectPage()->projectEdit()->setText(m_project + QStringLiteral("b"));
        other.projectPage()->appPortSpin()->setValue(m_appPort);
        other.next();
        other.databasePage()->replicatedRadio()->setChecked(true);
        other.databasePage()->portSpin()->setValue(m_port);
        other.next();
        other.filesPage()->writeButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(other.filesPage()->isComplete(), 60000);
        other.next();
        DockerRunPage *page = other.runPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->isReady(), 60000);
        m_otherStarted = true;
        page->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isRunning(), 300000);
        QVERIFY(page->hasFailed());
        const QString failure = page->runView()->failure();
        QVERIFY2(failure.contains(QLatin1String("port is already allocated")) ||
                     failure.contains(QLatin1String("address already in use")),
                 qPrintable(failure));
        const QString status = page->runView()->statusText();
        QVERIFY2(status.contains(QLatin1String("Start the services")) &&
                     (status.contains(QLatin1String("port is already allocated")) ||
                      status.contains(QLatin1String("address already in use"))),
                 qPrintable(status));
        QVERIFY(page->resumeButton()->isVisible());
        QVERIFY(other.isVisible());
        QCOMPARE(ready.size(), 0);
        grab(&other, QStringLiteral("failed"), false);
    }

    // The Containers page finds the deployed project's directory from its containers and
    // restarts a service, then takes the project down with the volumes kept.
    void containersPageRestartsAndTakesDown()
    {
        QVERIFY(m_started);
        ContainersPage page;
        page.resize(1200, 800);
        page.show();
        page.setInterval(500);
        page.setProject(m_project);
        page.start();
        QTRY_VERIFY_WITH_TIMEOUT(page.model()->rowCount() == 3, 20000);
        QVERIFY(
            page.actions()->findChild<QPushButton *>(QStringLiteral("downButton"))->isEnabled());
        ComposeProject project;
        QString why;
        QList<DockerContainer> containers;
        for (int row = 0; row < page.model()->rowCount(); ++row)
            containers << page.model()->container(row);
        QVERIFY2(ComposeActions::projectFromContainers(m_project, containers, &project, &why),
                 qPrintable(why));
        QCOMPARE(QFileInfo(project.dir).canonicalFilePath(), QFileInfo(m_dir).canonicalFilePath());

        // Restart of the selected service: the plan waits until it is healthy again.
        for (int row = 0; row < page.model()->rowCount(); ++row)
            if (page.model()->container(row).composeService == QLatin1String("db-replica-1"))
                page.selectContainer(page.model()->container(row).id);
        QSignalSpy finished(page.actions(), &ComposeActions::actionFinished);
        page.actions()->restart();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 180000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        auto *dialog = page.actions()->findChild<ComposeActionDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->runView()->stepCount(), 2); // restart db-replica-1, wait until healthy
        grab(dialog, QStringLiteral("containers-restart"), false);
        dialog->close();

        // Down keeps the volumes: the data is there for the next up.
        finished.clear();
        page.actions()->run(composeplans::down(project, false));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 0, 20000);
        QString volumes;
        QVERIFY(
            DockerFixture::docker({QStringLiteral("volume"), QStringLiteral("ls"),
                                   QStringLiteral("-q"), QStringLiteral("--filter"),
                                   QStringLiteral("label=com.docker.compose.project=") + m_project},
                                  &volumes));
        QCOMPARE(volumes.trimmed().split(QLatin1Char('\n')).size(), 2);
    }
};

QTEST_MAIN(TestDockerWizard)
#include "tst_dockerwizard.moc"
