#include "pipeline/pipelinebuildpage.h"
#include "pipeline/pipelinefilespage.h"
#include "pipeline/pipelinerepositorypage.h"
#include "pipeline/pipelinetrypage.h"
#include "pipeline/pipelinewizard.h"
#include "sandbox/sandbox.h"

#include <QCheckBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pgdeck;

namespace {

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = QDir(to).filePath(QDir(from).relativeFilePath(source));
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(source, target))
            return false;
    }
    return true;
}

// git in dir: its output, trimmed, or what went wrong.
QString git(const QString &dir, const QStringList &args, bool *ok = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("git"), args);
    const bool done =
        p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (ok)
        *ok = done;
    return done ? QString::fromUtf8(p.readAllStandardOutput()).trimmed()
                : QStringLiteral("git %1 failed: %2")
                      .arg(args.join(u' '), QString::fromUtf8(p.readAllStandardError()));
}

bool gitOk(const QString &dir, const QStringList &args)
{
    bool ok = false;
    const QString out = git(dir, args, &ok);
    if (!ok)
        qWarning("%s", qPrintable(out));
    return ok;
}

const QStringList kFiles = {QStringLiteral(".github/workflows/deploy.yml"),
                            QStringLiteral(".gitlab-ci.yml"), QStringLiteral("Jenkinsfile"),
                            QStringLiteral(".circleci/config.yml")};

} // namespace

class TstPipelineWizard : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_repo;

    void grab(QWidget *w, const QString &name)
    {
        QTest::qWait(100);
        const QPixmap shot = w->grab();
        QVERIFY(shot.save(QStringLiteral("/tmp/") + name));
        const QString dir = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            QVERIFY(shot.save(QDir(dir).filePath(name)));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_repo = m_tmp.filePath(QStringLiteral("app"));
        const QString sample = qEnvironmentVariable("PGDECK_SOURCE_DIR") +
                               QStringLiteral("/tests/docker/sample-node-app");
        QVERIFY2(QDir(sample).exists(), qPrintable(sample));
        QVERIFY(copyTree(sample, m_repo));
        QVERIFY(gitOk(m_repo, {"init", "-q"}));
        QVERIFY(gitOk(m_repo, {"checkout", "-q", "-b", "main"}));
        QVERIFY(gitOk(m_repo, {"config", "user.name", "pgdeck test"}));
        QVERIFY(gitOk(m_repo, {"config", "user.email", "test@pgdeck.invalid"}));
        QVERIFY(gitOk(m_repo, {"add", "."}));
        QVERIFY(gitOk(m_repo, {"commit", "-q", "-m", "sample app"}));
    }

    void writesChecksCommitsAndRunsThePipeline()
    {
        PipelineWizard wizard;
        wizard.resize(1200, 800);
        wizard.show();
        wizard.setRepositoryDirectory(m_repo);

        // Repository
        PipelineRepositoryPage *repo = wizard.repositoryPage();
        QVERIFY2(repo->isGitRepository(), qPrintable(repo->directoryNote()));
        QCOMPARE(repo->systems().size(), 4);
        QVERIFY(repo->isComplete());
        wizard.next();
        QCOMPARE(wizard.currentId(), int(PipelineWizard::BuildPageId));

        // Build & deploy: problems in place, Next only without any.
        PipelineBuildPage *build = wizard.buildPage();
        build->setImage(QStringLiteral("registry.example.com/team/sample"));
        QCOMPARE(build->registry(), QStringLiteral("registry.example.com"));
        build->setImage(QStringLiteral("ghcr.io/pgdeck-test/sample"));
        QCOMPARE(build->registry(), QStringLiteral("ghcr.io"));
        build->setDeployHost(QStringLiteral("not a host"));
        QVERIFY(!build->isComplete());
        QVERIFY(!build->errors().isEmpty());
        build->setDeployHost(QStringLiteral("deploy@app.example.com"));
        QVERIFY2(build->isComplete(), qPrintable(build->errors().join(u'\n')));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(PipelineWizard::FilesPageId));

        // Files: four new ones, written, each valid.
        PipelineFilesPage *files = wizard.filesPage();
        QCOMPARE(files->proposals().size(), 4);
        for (const QString &path : kFiles)
            QCOMPARE(files->stateOf(path), FileProposal::State::New);
        QVERIFY(!files->isComplete());
        QVERIFY(files->writeFiles());
        for (const QString &path : kFiles) {
            QVERIFY2(QFile::exists(QDir(m_repo).filePath(path)), qPrintable(path));
            QCOMPARE(files->stateOf(path), FileProposal::State::Same);
            QVERIFY2(files->checks().value(path).ok(),
                     qPrintable(files->checks().value(path).errors.join(u'\n')));
        }
        QCOMPARE(files->checks().size(), 4);
        QVERIFY(files->isComplete());

        // Commit on a new branch, nothing else touched, nothing pushed.
        const QString id = files->commitOnNewBranch();
        QVERIFY2(!id.isEmpty(), qPrintable(files->commitText()));
        QVERIFY(files->commitText().contains(QStringLiteral("Nothing was pushed")));
        QCOMPARE(git(m_repo, {"rev-parse", "--abbrev-ref", "HEAD"}), files->gitBranch());
        QVERIFY(git(m_repo, {"rev-parse", "HEAD"}).startsWith(id));
        QStringList committed = git(m_repo, {"show", "--name-only", "--format=", "HEAD"})
                                    .split(u'\n', Qt::SkipEmptyParts);
        committed.sort();
        QStringList expected = kFiles;
        expected.sort();
        QCOMPARE(committed, expected);
        QCOMPARE(git(m_repo, {"status", "--porcelain"}), QString());
        QCOMPARE(git(m_repo, {"remote"}), QString());

        // An edit shows as a coloured diff and is kept unless replacing is asked for.
        QFile jenkinsfile(QDir(m_repo).filePath(QStringLiteral("Jenkinsfile")));
        QVERIFY(jenkinsfile.open(QIODevice::Append));
        jenkinsfile.write("// deployed by hand on Fridays\n");
        jenkinsfile.close();
        files->refresh();
        QCOMPARE(files->stateOf(QStringLiteral("Jenkinsfile")), FileProposal::State::Changed);
        QVERIFY(files->selectFile(QStringLiteral("Jenkinsfile")));
        grab(&wizard, QStringLiteral("pipeline-wizard-files.png"));
        QVERIFY(files->writeFiles());
        QCOMPARE(files->stateOf(QStringLiteral("Jenkinsfile")), FileProposal::State::Changed);
        files->replaceEditedCheck()->setChecked(true);
        QVERIFY(files->writeFiles());
        QCOMPARE(files->stateOf(QStringLiteral("Jenkinsfile")), FileProposal::State::Same);

        // Try it here, without containers.
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(PipelineWizard::TryPageId));
        PipelineTryPage *tryPage = wizard.tryPage();
        QVERIFY(tryPage->isComplete()); // finishing without a run is fine
        tryPage->setUseContainers(false);
        QSignalSpy finished(tryPage, &PipelineTryPage::runFinished);
        QVERIFY(tryPage->runLocally());
        QVERIFY(!tryPage->isComplete());
        QVERIFY(finished.wait(240000));
        QCOMPARE(tryPage->stepState(QStringLiteral("test/test")), PipelineLocalRun::State::Passed);
        QCOMPARE(tryPage->stepState(QStringLiteral("deploy/deploy")),
                 PipelineLocalRun::State::Skipped);
        QVERIFY2(tryPage->succeeded(), qPrintable(tryPage->summary()));
        QVERIFY(tryPage->isComplete());
        grab(&wizard, QStringLiteral("pipeline-wizard-run.png"));
    }
};

QTEST_MAIN(TstPipelineWizard)
#include "tst_pipelinewizard.moc"
