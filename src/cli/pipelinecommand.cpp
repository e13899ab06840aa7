// pgdeckctl pipeline init|validate: CI/CD pipelines for GitHub Actions, GitLab CI, Jenkins
// and CircleCI from one model, shown as a diff against the repository, written only when
// asked, and checked the way each system reads them.
#include "ctlcommand.h"

#include "pipeline/gitrepo.h"
#include "pipeline/localrun.h"
#include "pipeline/pipelinecheck.h"
#include "pipeline/pipelinegenerator.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>

namespace pgdeck {

bool CtlCommand::pipelineSpec(PipelineSpec *spec, QList<CiSystem> *systems)
{
    const auto take = [&](const char *option, QString *value) {
        if (m_parser.isSet(QLatin1String(option)))
            *value = m_parser.value(QLatin1String(option));
    };
    take("name", &spec->name);
    take("branch", &spec->branch);
    take("image", &spec->image);
    take("registry", &spec->registry);
    take("deploy-host", &spec->deployHost);
    take("deploy-dir", &spec->deployDir);
    take("node", &spec->nodeVersion);
    if (m_parser.isSet(QStringLiteral("image")) && !m_parser.isSet(QStringLiteral("registry")))
        spec->registry = spec->image.section(QLatin1Char('/'), 0, 0);
    if (m_parser.isSet(QStringLiteral("deploy")) &&
        !PipelineSpec::deployFromName(m_parser.value(QStringLiteral("deploy")), &spec->deploy)) {
        usage(QStringLiteral("--deploy takes ssh, context or none"));
        return false;
    }
    const QString ci = m_parser.value(QStringLiteral("ci"));
    if (ci.isEmpty() || ci == QLatin1String("all")) {
        *systems = PipelineGenerator::allSystems();
    } else {
        for (const QString &name : ci.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            CiSystem system;
            if (!PipelineGenerator::systemFromName(name.trimmed(), &system)) {
                usage(QStringLiteral(
                          "--ci takes github, gitlab, jenkins, circleci or all, not \"%1\"")
                          .arg(name));
                return false;
            }
            *systems << system;
        }
    }
    return noErrors(validatePipelineSpec(*spec));
}

int CtlCommand::pipeline(const QStringList &args)
{
    const QString action = args.value(0);
    const QString dir = dockerProjectDir();
    if (action == QLatin1String("validate") && args.size() == 1)
        return pipelineValidate(dir);
    if (action == QLatin1String("run-local") && args.size() == 1)
        return pipelineRunLocal(dir);
    if (action == QLatin1String("runs") && args.size() == 1)
        return pipelineRuns();
    if (action == QLatin1String("trigger") && args.size() == 1)
        return pipelineTrigger();
    if (action == QLatin1String("watch") && args.size() == 1)
        return pipelineWatch();
    if (action == QLatin1String("token") && args.size() == 2 &&
        (args[1] == QLatin1String("set") || args[1] == QLatin1String("forget")))
        return pipelineToken(args[1]);
    if (action != QLatin1String("init") || args.size() != 1)
        return usage(QStringLiteral("pipeline takes init, validate, run-local, runs, trigger, "
                                    "watch or token set|forget"));

    PipelineSpec spec;
    QList<CiSystem> systems;
    if (!pipelineSpec(&spec, &systems))
        return 2;
    QList<GeneratedFile> files;
    for (CiSystem system : systems)
        files << PipelineGenerator::file(spec, system);
    const bool commit = m_parser.isSet(QStringLiteral("commit"));
    if (commit && !m_parser.isSet(QStringLiteral("write")))
        return usage(QStringLiteral("--commit goes with --write"));
    QStringList paths;
    const int written = proposeFiles(dir, files,
                                     QStringLiteral("secrets to create in the CI system: ") +
                                         spec.secretNames().join(QStringLiteral(", ")),
                                     &paths);
    if (written != 0 || !commit)
        return written;
    const QString branch = m_parser.isSet(QStringLiteral("git-branch"))
                               ? m_parser.value(QStringLiteral("git-branch"))
                               : QStringLiteral("pgdeck/pipeline-") + spec.name;
    QString id, error;
    if (!GitRepo(dir).commitOnNewBranch(branch, paths,
                                        QStringLiteral("Add the %1 pipeline (%2)")
                                            .arg(spec.name,
                                                 [&] {
                                                     QStringList names;
                                                     for (CiSystem s : systems)
                                                         names << PipelineGenerator::displayName(s);
                                                     return names.join(QStringLiteral(", "));
                                                 }()),
                                        &id, &error)) {
        m_err << "pgdeckctl: the files are written but not committed: " << error << "\n";
        return 1;
    }
    m_out << "committed " << id << " on the new branch " << branch
          << " (nothing pushed: git push -u origin " << branch << " when you are ready)\n";
    return 0;
}

int CtlCommand::pipelineValidate(const QString &dir)
{
    QStringList paths;
    for (const char *fixed : {"Jenkinsfile", ".gitlab-ci.yml", ".circleci/config.yml"})
        if (QFile::exists(QDir(dir).filePath(QLatin1String(fixed))))
            paths << QLatin1String(fixed);
    const QDir workflows(QDir(dir).filePath(QStringLiteral(".github/workflows")));
    for (const QString &f :
         workflows.entryList({QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files))
        paths << QStringLiteral(".github/workflows/") + f;
    if (paths.isEmpty()) {
        m_err << "pgdeckctl: no pipeline in " << dir
              << " (.github/workflows/*.yml, .gitlab-ci.yml, Jenkinsfile, .circleci/config.yml)\n";
        return 1;
    }
    bool allOk = true;
    QStringList secrets;
    for (const QString &path : paths) {
        CiSystem system;
        PipelineCheck::systemForPath(path, &system);
        QFile f(QDir(dir).filePath(path));
        if (!f.open(QIODevice::ReadOnly)) {
            m_err << path << ": " << f.errorString() << "\n";
            allOk = false;
            continue;
        }
        const PipelineCheckResult r = PipelineCheck::check(system, QString::fromUtf8(f.readAll()));
        (r.ok() ? m_out : m_err)
            << path << " (" << PipelineGenerator::displayName(system) << "): "
            << (r.ok() ? QStringLiteral("valid, jobs %1").arg(r.jobs.join(QStringLiteral(" → ")))
                       : QStringLiteral("invalid"))
            << "\n";
        for (const QString &e : r.errors)
            m_err << "  error: " << e << "\n";
        allOk = allOk && r.ok();
        secrets << r.secrets;
    }
    secrets.removeDuplicates();
    if (!secrets.isEmpty())
        m_out << "secrets they read: " << secrets.join(QStringLiteral(", ")) << "\n";
    return allOk ? 0 : 1;
}

int CtlCommand::pipelineRunLocal(const QString &dir)
{
    PipelineSpec spec;
    QList<CiSystem> systems;
    if (!pipelineSpec(&spec, &systems))
        return 2;
    LocalRunOptions options;
    options.repoDir = dir;
    // In containers of the jobs' images when an engine answers, unless told otherwise.
    if (m_parser.isSet(QStringLiteral("containers"))) {
        options.inContainers = true;
    } else if (!m_parser.isSet(QStringLiteral("no-containers"))) {
        QProcess docker;
        docker.start(QStringLiteral("docker"), {QStringLiteral("version")});
        options.inContainers = docker.waitForFinished(15000) && docker.exitCode() == 0;
    }
    QString error;
    if (!options.inContainers) {
        options.pgBinDir = Sandbox::findBinDir(&error);
        if (options.pgBinDir.isEmpty()) {
            m_err << "pgdeckctl: " << error << "\n";
            return 1;
        }
        options.pgOsUser = Sandbox::defaultOsUser();
    }
    // Below the ephemeral range (32768+), where outgoing connections take their ports.
    options.pgPort = Sandbox::findFreePorts(27000 + QRandomGenerator::global()->bounded(2000), 1);
    options.scratchDir = QDir::temp().filePath(
        QStringLiteral("pgdeck-run-%1")
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')));

    PipelineLocalRun run;
    QEventLoop loop;
    int exitCode = 1;
    QElapsedTimer total;
    connect(&run, &PipelineLocalRun::stepStarted, this, [&](int i) {
        const auto &s = run.steps()[i];
        m_out << QStringLiteral("[%1/%2] %3: %4\n")
                     .arg(i + 1)
                     .arg(run.steps().size())
                     .arg(s.job, s.title);
        m_out.flush();
    });
    connect(&run, &PipelineLocalRun::output, this, [&](int, const QString &line) {
        m_out << "      | " << line << "\n";
        m_out.flush();
    });
    connect(&run, &PipelineLocalRun::stepFinished, this, [&](int i, PipelineLocalRun::State state) {
        const auto &s = run.steps()[i];
        if (state == PipelineLocalRun::State::Skipped)
            m_out << QStringLiteral("[%1/%2] %3: %4 ... skipped (%5)\n")
                         .arg(i + 1)
                         .arg(run.steps().size())
                         .arg(s.job, s.title, s.skipReason);
        else
            m_out << "      -> " << PipelineLocalRun::stateName(state)
                  << QStringLiteral(" (%1 s)").arg(s.durationMs / 1000.0, 0, 'f', 1) << "\n";
        m_out.flush();
    });
    connect(&run, &PipelineLocalRun::finished, this,
            [&](bool ok, const QString &summary) {
                (ok ? m_out : m_err)
                    << summary
                    << QStringLiteral(" in %1 s\n").arg(total.elapsed() / 1000.0, 0, 'f', 1);
                exitCode = ok ? 0 : 1;
                loop.quit();
            });
    SignalWatcher signals;
    connect(&signals, &SignalWatcher::interrupted, &run, &PipelineLocalRun::cancel);
    m_out << "running pipeline " << spec.name << " from " << dir << " "
          << (options.inContainers ? "in containers of each job's image" : "in a scratch directory")
          << "\n";
    total.start();
    if (!run.start(spec, options, &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        return 1;
    }
    loop.exec();
    return exitCode;
}

} // namespace pgdeck
