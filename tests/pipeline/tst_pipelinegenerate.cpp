// Pipelines for the four CI systems from one model: each file parsed back and checked as its
// system reads it, the same commands in all four, the secrets named and never inlined, the
// real validators (yamllint; action-validator for the GitHub workflow) run on them, and
// `pgdeckctl pipeline init|validate` end to end.
#include "pipeline/pipelinecheck.h"
#include "pipeline/pipelinegenerator.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <yaml-cpp/yaml.h>

using namespace pgdeck;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
};

Run run(const QString &program, const QStringList &args, const QString &dir = {})
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.start(program, args);
    Run r;
    if (p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit)
        r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAll());
    return r;
}

PipelineSpec sampleSpec()
{
    PipelineSpec spec;
    spec.image = QStringLiteral("ghcr.io/acme/shop");
    spec.deployHost = QStringLiteral("deploy@shop.example.com");
    return spec;
}

// The GitHub workflow's validator: $PGDECK_ACTION_VALIDATOR, on PATH, or where build.sh
// installs it (build/tools/node_modules/.bin).
QString actionValidator()
{
    const QString env = qEnvironmentVariable("PGDECK_ACTION_VALIDATOR");
    if (!env.isEmpty())
        return env;
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("action-validator"));
    if (!onPath.isEmpty())
        return onPath;
    const QString local = qEnvironmentVariable("PGDECK_SOURCE_DIR") +
                          QStringLiteral("/build/tools/node_modules/.bin/action-validator");
    return QFile::exists(local) ? local : QString();
}

} // namespace

class TestPipelineGenerate : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

    QString writeFile(const QString &name, const QString &content)
    {
        const QString path = m_tmp.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(content.toUtf8());
        return path;
    }

private Q_SLOTS:
    void everySystemChecksOutWithTheSameJobsAndSecrets_data()
    {
        QTest::addColumn<int>("deploy");
        QTest::newRow("ssh") << int(PipelineSpec::Deploy::Ssh);
        QTest::newRow("context") << int(PipelineSpec::Deploy::DockerContext);
        QTest::newRow("none") << int(PipelineSpec::Deploy::None);
    }

    void everySystemChecksOutWithTheSameJobsAndSecrets()
    {
        QFETCH(int, deploy);
        PipelineSpec spec = sampleSpec();
        spec.deploy = PipelineSpec::Deploy(deploy);
        QVERIFY(validatePipelineSpec(spec).isEmpty());
        const QStringList jobs = spec.deploy == PipelineSpec::Deploy::None
                                     ? QStringList{QStringLiteral("test"), QStringLiteral("build")}
                                     : QStringList{QStringLiteral("test"), QStringLiteral("build"),
                                                   QStringLiteral("deploy")};
        for (CiSystem system : PipelineGenerator::allSystems()) {
            const GeneratedFile file = PipelineGenerator::file(spec, system);
            const PipelineCheckResult r = PipelineCheck::check(system, file.content);
            const QString what = PipelineGenerator::displayName(system);
            QVERIFY2(r.ok(),
                     qPrintable(what + QStringLiteral(": ") + r.errors.join(QLatin1Char('\n'))));
            QCOMPARE(r.jobs, jobs);
            QStringList secrets = r.secrets, expected = spec.secretNames();
            secrets.sort();
            expected.sort();
            QCOMPARE(secrets, expected);
            CiSystem back;
            QVERIFY(PipelineCheck::systemForPath(file.path, &back));
            QCOMPARE(back, system);
        }
    }

    void theFourRunTheSameCommands()
    {
        const PipelineSpec spec = sampleSpec();
        for (const PipelineJob &job : PipelineModel::jobs(spec, QStringLiteral("postgres")))
            for (const PipelineStep &step : job.steps)
                for (const QString &command : step.commands)
                    for (CiSystem system : PipelineGenerator::allSystems()) {
                        QString content = PipelineGenerator::file(spec, system).content;
                        if (system == CiSystem::Jenkins) // Groovy ''' strings: \ is escaped
                            content.replace(QLatin1String("\\\\"), QLatin1String("\\"));
                        // Each line of the command, as YAML or Groovy indents it.
                        for (const QString &line : command.split(QLatin1Char('\n')))
                            QVERIFY2(content.contains(line.trimmed()),
                                     qPrintable(PipelineGenerator::displayName(system) +
                                                QStringLiteral(" lacks: ") + line));
                    }
    }

    void yamlReadsBackAsEachSystemExpects()
    {
        const PipelineSpec spec = sampleSpec();
        const YAML::Node gh = YAML::Load(PipelineGenerator::githubActions(spec).toStdString());
        QCOMPARE(gh["jobs"]["deploy"]["needs"][0].as<std::string>(), std::string("build"));
        QCOMPARE(gh["jobs"]["test"]["services"]["postgres"]["image"].as<std::string>(),
                 std::string("postgres:15"));
        QCOMPARE(gh["jobs"]["test"]["services"]["postgres"]["ports"][0].as<std::string>(),
                 std::string("5432:5432"));
        QCOMPARE(gh["jobs"]["build"]["env"]["REGISTRY_PASSWORD"].as<std::string>(),
                 std::string("${{ secrets.REGISTRY_PASSWORD }}"));
        const YAML::Node gl = YAML::Load(PipelineGenerator::gitlabCi(spec).toStdString());
        QCOMPARE(gl["stages"].size(), std::size_t(3));
        QCOMPARE(gl["test"]["services"][0]["alias"].as<std::string>(), std::string("postgres"));
        QCOMPARE(gl["deploy"]["rules"][0]["if"].as<std::string>(),
                 std::string("$CI_COMMIT_BRANCH == \"main\""));
        const YAML::Node cc = YAML::Load(PipelineGenerator::circleCi(spec).toStdString());
        QCOMPARE(cc["version"].as<std::string>(), std::string("2.1")); // not 2.1000000000000001
        QCOMPARE(cc["jobs"]["test"]["docker"][1]["image"].as<std::string>(),
                 std::string("postgres:15"));
        QCOMPARE(cc["workflows"]["deploy"]["jobs"][2]["deploy"]["requires"][0].as<std::string>(),
                 std::string("build"));
        // No secret's value can be in a file: only names, and the password of the test
        // database is not needed (trust on the job's own network).
        for (CiSystem system : PipelineGenerator::allSystems())
            QVERIFY(!PipelineGenerator::file(spec, system)
                         .content.contains(QLatin1String("PASSWORD=")));
    }

    void realValidatorsAcceptTheFiles()
    {
        const PipelineSpec spec = sampleSpec();
        const QString yamllint = QStandardPaths::findExecutable(QStringLiteral("yamllint"));
        if (yamllint.isEmpty())
            QSKIP("yamllint is not installed (apt-get install yamllint)");
        // GitHub's `on:` is a key, not a boolean; lines up to 120 columns.
        const QString config = QStringLiteral("{extends: default, rules: {line-length: {max: 120}, "
                                              "truthy: {check-keys: false}}}");
        for (CiSystem system : {CiSystem::GitHub, CiSystem::GitLab, CiSystem::CircleCI}) {
            const GeneratedFile file = PipelineGenerator::file(spec, system);
            const QString path = writeFile(file.path, file.content);
            const Run r = run(yamllint, {QStringLiteral("-s"), QStringLiteral("-d"), config, path});
            QVERIFY2(r.exitCode == 0, qPrintable(file.path + QLatin1Char('\n') + r.out));
        }
        const QString validator = actionValidator();
        if (validator.isEmpty())
            QSKIP("action-validator is not installed (build.sh installs @action-validator/cli)");
        const GeneratedFile workflow = PipelineGenerator::file(spec, CiSystem::GitHub);
        const Run ok = run(validator, {writeFile(workflow.path, workflow.content)});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.out));
        // And it does refuse a broken one, so the pass above means something.
        QString broken = workflow.content;
        broken.replace(QLatin1String("    steps:"), QLatin1String("    stepz:"));
        const Run refused = run(validator, {writeFile(QStringLiteral("broken.yml"), broken)});
        QVERIFY2(refused.exitCode != 0, qPrintable(refused.out));
    }

    void checksNameWhatIsWrong()
    {
        const auto errors = [](CiSystem system, const char *content) {
            return PipelineCheck::check(system, QString::fromUtf8(content))
                .errors.join(QLatin1Char('\n'));
        };
        QVERIFY(errors(CiSystem::GitHub, "on: push\njobs:\n  a:\n    runs-on: x\n    needs: [zz]\n"
                                         "    steps: [{run: ls}]\n")
                    .contains(QLatin1String("\"zz\", which is not a job")));
        QVERIFY(errors(CiSystem::GitHub,
                       "on: push\njobs:\n  a: {runs-on: x, needs: b, steps: [{run: ls}]}\n"
                       "  b: {runs-on: x, needs: a, steps: [{run: ls}]}\n")
                    .contains(QLatin1String("cycle")));
        QVERIFY(errors(CiSystem::GitHub, "jobs:\n  a: {runs-on: x, steps: [{name: x}]}\n")
                    .contains(QLatin1String("no \"on\"")));
        QVERIFY(errors(CiSystem::GitHub, "on: push\njobs:\n  a: {runs-on: x, steps: [{name: x}]}\n")
                    .contains(QLatin1String("neither \"run\" nor \"uses\"")));
        QVERIFY(errors(CiSystem::GitLab, "stages: [test]\nt:\n  stage: deploy\n  script: [ls]\n")
                    .contains(QLatin1String("stage \"deploy\" is not in stages")));
        QVERIFY(errors(CiSystem::GitLab, "a:\n  script: [ls\n")
                    .contains(QLatin1String("not valid YAML: line")));
        QVERIFY(errors(CiSystem::CircleCI,
                       "version: 2.1\njobs:\n  a: {docker: [{image: x}], steps: [checkout]}\n"
                       "workflows:\n  w:\n    jobs: [a, {b: {requires: [a]}}]\n")
                    .contains(QLatin1String("runs \"b\", which is not a job")));
        QVERIFY(
            errors(CiSystem::Jenkins,
                   "pipeline {\n  agent any\n  stages {\n    stage('a') { steps { sh 'ls' } }\n}\n")
                .contains(QLatin1String("1 brace(s) not closed")));
        // A brace inside a string is not a brace.
        QCOMPARE(errors(CiSystem::Jenkins, "pipeline {\n agent any\n stages {\n  stage('a') {\n"
                                           "   steps { sh '''echo }''' }\n  }\n }\n}\n"),
                 QString());
    }

    void commitsOnANewBranchAndLeavesTheRestAlone()
    {
        QTemporaryDir repo;
        const auto git = [&](const QStringList &args) {
            return run(QStringLiteral("git"),
                       QStringList{QStringLiteral("-C"), repo.path()} + args);
        };
        QVERIFY(git({QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                     QStringLiteral("main")})
                    .exitCode == 0);
        git({QStringLiteral("config"), QStringLiteral("user.email"),
             QStringLiteral("dev@example.com")});
        git({QStringLiteral("config"), QStringLiteral("user.name"), QStringLiteral("Dev")});
        QFile readme(repo.filePath(QStringLiteral("README")));
        QVERIFY(readme.open(QIODevice::WriteOnly));
        readme.write("v1\n");
        readme.close();
        QVERIFY(git({QStringLiteral("add"), QStringLiteral("README")}).exitCode == 0);
        QVERIFY(git({QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("start")})
                    .exitCode == 0);
        // The user's work in progress: an unstaged edit and a staged new file.
        QVERIFY(readme.open(QIODevice::Append));
        readme.write("work in progress\n");
        readme.close();
        QFile staged(repo.filePath(QStringLiteral("notes.txt")));
        QVERIFY(staged.open(QIODevice::WriteOnly));
        staged.write("staged\n");
        staged.close();
        git({QStringLiteral("add"), QStringLiteral("notes.txt")});

        const QString ctl = qEnvironmentVariable("PGDECKCTL");
        const QStringList init{
            QStringLiteral("pipeline"),      QStringLiteral("init"),
            QStringLiteral("--dir"),         repo.path(),
            QStringLiteral("--image"),       QStringLiteral("ghcr.io/acme/shop"),
            QStringLiteral("--deploy-host"), QStringLiteral("deploy@shop.example.com"),
            QStringLiteral("--write"),       QStringLiteral("--commit")};
        Run r = run(ctl, init);
        QVERIFY2(r.exitCode == 0 &&
                     r.out.contains(QLatin1String("on the new branch pgdeck/pipeline-deploy")) &&
                     r.out.contains(QLatin1String("nothing pushed")),
                 qPrintable(r.out));
        QCOMPARE(git({QStringLiteral("branch"), QStringLiteral("--show-current")}).out.trimmed(),
                 QStringLiteral("pgdeck/pipeline-deploy"));
        QStringList committed = git({QStringLiteral("show"), QStringLiteral("--name-only"),
                                     QStringLiteral("--format="), QStringLiteral("HEAD")})
                                    .out.trimmed()
                                    .split(QLatin1Char('\n'));
        committed.sort();
        QCOMPARE(committed,
                 (QStringList{QStringLiteral(".circleci/config.yml"),
                              QStringLiteral(".github/workflows/deploy.yml"),
                              QStringLiteral(".gitlab-ci.yml"), QStringLiteral("Jenkinsfile")}));
        // The user's edit and staged file are still theirs, uncommitted; main is untouched.
        const QString status = git({QStringLiteral("status"), QStringLiteral("--porcelain")}).out;
        QVERIFY2(status.contains(QLatin1String(" M README")) &&
                     status.contains(QLatin1String("A  notes.txt")),
                 qPrintable(status));
        QCOMPARE(git({QStringLiteral("log"), QStringLiteral("--format=%s"), QStringLiteral("main")})
                     .out.trimmed(),
                 QStringLiteral("start"));

        // Again: the branch exists, so nothing is committed and the message says why.
        r = run(ctl, init);
        QVERIFY2(r.exitCode == 1 && r.out.contains(QLatin1String("exists already")),
                 qPrintable(r.out));
    }

    void ctlInitWritesAndValidates()
    {
        QTemporaryDir repo;
        const QString ctl = qEnvironmentVariable("PGDECKCTL");
        const QStringList init{
            QStringLiteral("pipeline"),      QStringLiteral("init"),
            QStringLiteral("--dir"),         repo.path(),
            QStringLiteral("--image"),       QStringLiteral("ghcr.io/acme/shop"),
            QStringLiteral("--deploy-host"), QStringLiteral("deploy@shop.example.com")};
        Run r = run(ctl, init);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QLatin1String("nothing written")),
                 qPrintable(r.out));
        QVERIFY(!QFile::exists(repo.filePath(QStringLiteral("Jenkinsfile"))));
        r = run(ctl, init + QStringList{QStringLiteral("--write")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        r = run(ctl, {QStringLiteral("pipeline"), QStringLiteral("validate"),
                      QStringLiteral("--dir"), repo.path()});
        QVERIFY2(r.exitCode == 0 && r.out.count(QLatin1String(": valid")) == 4, qPrintable(r.out));

        // A hand edit is shown as a diff and kept unless --force.
        QFile gitlab(repo.filePath(QStringLiteral(".gitlab-ci.yml")));
        QVERIFY(gitlab.open(QIODevice::Append));
        gitlab.write("# my note\n");
        gitlab.close();
        r = run(ctl, init + QStringList{QStringLiteral("--write")});
        QVERIFY2(r.out.contains(QLatin1String("changed    .gitlab-ci.yml")) &&
                     r.out.contains(QLatin1String("-# my note")),
                 qPrintable(r.out));
        QVERIFY(gitlab.open(QIODevice::ReadOnly));
        QVERIFY(gitlab.readAll().endsWith("# my note\n"));
        gitlab.close();

        // A broken file fails validation with the reason.
        QVERIFY(gitlab.open(QIODevice::WriteOnly | QIODevice::Truncate));
        gitlab.write("stages: [test]\nunit:\n  stage: tests\n  script: [npm test]\n");
        gitlab.close();
        r = run(ctl, {QStringLiteral("pipeline"), QStringLiteral("validate"),
                      QStringLiteral("--dir"), repo.path()});
        QVERIFY2(r.exitCode == 1 &&
                     r.out.contains(QLatin1String("stage \"tests\" is not in stages")),
                 qPrintable(r.out));

        // Bad input names the problem.
        r = run(ctl, init + QStringList{QStringLiteral("--ci"), QStringLiteral("travis")});
        QVERIFY2(r.exitCode == 2 && r.out.contains(QLatin1String("not \"travis\"")),
                 qPrintable(r.out));
        r = run(ctl, {QStringLiteral("pipeline"), QStringLiteral("init"), QStringLiteral("--dir"),
                      repo.path(), QStringLiteral("--image"), QStringLiteral("GHCR.io/Acme")});
        QVERIFY2(r.exitCode == 2 && r.out.contains(QLatin1String("image \"GHCR.io/Acme\"")),
                 qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestPipelineGenerate)
#include "tst_pipelinegenerate.moc"
