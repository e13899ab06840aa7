#include "runbookwriter.h"

#include "commandrunner.h"
#include "pg/quoting.h"

#include <QRegularExpression>

namespace pgdeck {

using sql::shellJoin;
using sql::shellQuote;

namespace {

// ${secret:NAME} becomes a shell variable reference, and in SQL a psql variable.
QString shellWithSecrets(const QString &quotedWord)
{
    static const QRegularExpression re(QStringLiteral("\\$\\{secret:([A-Za-z0-9_]+)\\}"));
    QString s = quotedWord;
    // Inside single quotes: close, splice the double-quoted variable, reopen.
    auto it = re.globalMatch(s);
    QStringList names;
    while (it.hasNext())
        names << it.next().captured(1);
    for (const QString &n : names)
        s.replace(QStringLiteral("${secret:%1}").arg(n),
                  QStringLiteral("'\"${PGDECK_SECRET_%1}\"'").arg(n.toUpper()));
    return s;
}

QString psql(const Plan &plan, const QString &node, const QStringList &flags,
             const QString &sqlText, const QStringList &params)
{
    QStringList argv{QStringLiteral("psql"), plan.node(node).toConninfo(true), QStringLiteral("-X"),
                     QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1")};
    argv << flags;
    QString sqlOut = sqlText;
    // psql has no $n parameters on the command line: bind them as psql variables.
    for (int i = 0; i < params.size(); ++i) {
        argv << QStringLiteral("-v") << QStringLiteral("p%1=%2").arg(i + 1).arg(params[i]);
        sqlOut.replace(QRegularExpression(QStringLiteral("\\$%1(?!\\d)").arg(i + 1)),
                       QStringLiteral(":'p%1'").arg(i + 1));
    }
    argv << QStringLiteral("-c") << sqlOut;
    return shellWithSecrets(shellJoin(argv));
}

QString runOn(const HostTarget &host, const QStringList &argv, const QStringList &sshOptions)
{
    if (host.isLocal() && !host.runAs.isEmpty())
        return QStringLiteral("as_user ") + shellQuote(host.runAs) + QLatin1Char(' ') +
               shellWithSecrets(shellJoin(argv));
    return shellWithSecrets(shellJoin(CommandRunner::commandLine(host, argv, sshOptions)));
}

QString guardTest(const Plan &plan, const StepGuard &g, const QStringList &sshOptions)
{
    switch (g.kind) {
    case StepGuard::Kind::None:
        return {};
    case StepGuard::Kind::SqlTrue:
        return QStringLiteral("[ \"$(%1)\" = t ]")
            .arg(psql(plan, g.node, {QStringLiteral("-Atq")}, g.sql, {}));
    case StepGuard::Kind::CommandSucceeds:
        return runOn(g.host, g.argv, sshOptions) + QStringLiteral(" >/dev/null 2>&1");
    case StepGuard::Kind::FileExists:
        return runOn(g.host, {QStringLiteral("test"), QStringLiteral("-e"), g.path}, sshOptions);
    }
    return {};
}

QString heredocWrite(const PlanStep &s, const QStringList &sshOptions)
{
    const QString script = QStringLiteral("umask 077 && cat > \"$1.pgdeck-tmp\" && chmod %1 "
                                          "\"$1.pgdeck-tmp\" && mv \"$1.pgdeck-tmp\" \"$1\"")
                               .arg(QString::number(s.fileMode, 8));
    QString body = s.content;
    if (!body.endsWith(QLatin1Char('\n')))
        body += QLatin1Char('\n');
    return runOn(s.host,
                 {QStringLiteral("sh"), QStringLiteral("-c"), script, QStringLiteral("sh"), s.path},
                 sshOptions) +
           QStringLiteral(" <<'PGDECK_EOF'\n") + body + QStringLiteral("PGDECK_EOF");
}

QString indent(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    bool inHeredoc = false;
    for (QString &l : lines) {
        if (!inHeredoc)
            l.prepend(QStringLiteral("  "));
        if (l.endsWith(QStringLiteral("<<'PGDECK_EOF'")))
            inHeredoc = true;
        else if (l == QStringLiteral("PGDECK_EOF"))
            inHeredoc = false;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

QString RunbookWriter::toShell(const Plan &plan, const QStringList &sshOptions)
{
    QString out;
    out += QStringLiteral("#!/usr/bin/env bash\n");
    out += QStringLiteral("# %1\n").arg(plan.title());
    out += QStringLiteral("# pgdeck plan %1 for cluster \"%2\", %3 steps, created %4\n")
               .arg(plan.id(), plan.cluster())
               .arg(plan.steps().size())
               .arg(plan.created().toString(Qt::ISODate));
    out += QStringLiteral("# Every step checks first whether it is already done, so the script "
                          "can be run again after a failure.\n");
    out += QStringLiteral("# Passwords come from ~/.pgpass or PGPASSFILE, as for psql.\n");
    QStringList secretNames;
    for (const PlanStep &s : plan.steps()) {
        for (const QString &text :
             {s.sql, s.content, s.argv.join(QLatin1Char(' ')), s.params.join(QLatin1Char(' '))}) {
            auto it = QRegularExpression(QStringLiteral("\\$\\{secret:([A-Za-z0-9_]+)\\}"))
                          .globalMatch(text);
            while (it.hasNext()) {
                const QString n = it.next().captured(1);
                if (!secretNames.contains(n))
                    secretNames << n;
            }
        }
    }
    if (!secretNames.isEmpty()) {
        out += QStringLiteral("# Secrets this plan needs, set them before running:\n");
        for (const QString &n : secretNames)
            out += QStringLiteral(": \"${PGDECK_SECRET_%1:?export PGDECK_SECRET_%1 first}\"\n")
                       .arg(n.toUpper());
    }
    out += QStringLiteral("set -euo pipefail\n\n");
    out +=
        QStringLiteral("as_user() { local u=$1; shift; if [ \"$(id -un)\" = \"$u\" ]; then \"$@\"; "
                       "elif [ \"$(id -u)\" = 0 ]; then runuser -u \"$u\" -- \"$@\"; "
                       "else sudo -n -u \"$u\" -- \"$@\"; fi; }\n");
    out += QStringLiteral(
        "wait_until() { local timeout=$1; shift; local end=$((SECONDS + timeout)); "
        "until [ \"$(\"$@\" 2>/dev/null)\" = t ]; do "
        "if [ $SECONDS -ge $end ]; then echo \"condition not met after ${timeout}s\" >&2; "
        "return 1; fi; sleep 1; done; }\n\n");

    const int total = int(plan.steps().size());
    for (int i = 0; i < total; ++i) {
        const PlanStep &s = plan.steps()[i];
        out += QStringLiteral("# Step %1/%2 [%3] %4\n").arg(i + 1).arg(total).arg(s.id, s.title);
        out +=
            QStringLiteral("echo %1\n")
                .arg(shellQuote(QStringLiteral("==> %1/%2 %3").arg(i + 1).arg(total).arg(s.title)));
        QString body;
        switch (s.kind) {
        case PlanStep::Kind::Sql:
            body = psql(plan, s.node, {QStringLiteral("-q")}, s.sql, s.params);
            break;
        case PlanStep::Kind::Command:
            body = runOn(s.host, s.argv, sshOptions);
            break;
        case PlanStep::Kind::WriteFile:
            body = heredocWrite(s, sshOptions);
            break;
        case PlanStep::Kind::WaitUntil: {
            const int timeout = (s.timeoutMs ? s.timeoutMs : 120000) / 1000;
            if (!s.url.isEmpty()) {
                body = QStringLiteral("wait_until %1 sh -c %2")
                           .arg(timeout)
                           .arg(shellQuote(QStringLiteral("curl -fsS -o /dev/null --max-time 5 ") +
                                           shellQuote(s.url) + QStringLiteral(" && echo t")));
                break;
            }
            if (!s.argv.isEmpty()) {
                const QString cmd = runOn(s.host, s.argv, sshOptions);
                body = QStringLiteral("wait_until %1 sh -c %2")
                           .arg(timeout)
                           .arg(shellQuote(QStringLiteral("[ \"$(%1)\" = %2 ] && echo t")
                                               .arg(cmd, shellQuote(s.expect))));
                break;
            }
            body = QStringLiteral("wait_until %1 %2")
                       .arg(timeout)
                       .arg(psql(plan, s.node, {QStringLiteral("-Atq")}, s.sql, s.params));
            break;
        }
        case PlanStep::Kind::Verify:
            body =
                QStringLiteral("got=\"$(%1)\"\n[ \"$got\" = %2 ] || { echo \"verification failed: "
                               "expected %3, got $got\" >&2; exit 1; }")
                    .arg(psql(plan, s.node, {QStringLiteral("-Atq")}, s.sql, s.params),
                         shellQuote(s.expect),
                         shellQuote(s.expect).replace(QLatin1Char('"'), QLatin1String("\\\"")));
            break;
        }
        const QString guard = guardTest(plan, s.guard, sshOptions);
        if (guard.isEmpty())
            out += body + QStringLiteral("\n\n");
        else
            out += QStringLiteral("if %1; then\n  echo '    already done'\nelse\n%2\nfi\n\n")
                       .arg(guard, indent(body));
    }
    out += QStringLiteral("echo 'plan %1 finished'\n").arg(plan.id());
    return out;
}

QString RunbookWriter::toText(const Plan &plan)
{
    QString out =
        QStringLiteral("Plan %1: %2 (cluster %3)\n").arg(plan.id(), plan.title(), plan.cluster());
    const int total = int(plan.steps().size());
    for (int i = 0; i < total; ++i) {
        const PlanStep &s = plan.steps()[i];
        out += QStringLiteral("%1/%2 %3 [%4]\n")
                   .arg(i + 1)
                   .arg(total)
                   .arg(s.title, PlanStep::kindName(s.kind));
        switch (s.kind) {
        case PlanStep::Kind::Sql:
        case PlanStep::Kind::WaitUntil:
        case PlanStep::Kind::Verify:
            if (!s.url.isEmpty())
                out += QStringLiteral("    until GET %1 answers 200\n").arg(s.url);
            else if (!s.argv.isEmpty())
                out += QStringLiteral("    on %1: until %2 prints \"%3\"\n")
                           .arg(s.host.describe(), shellJoin(s.argv), s.expect);
            else
                out += QStringLiteral("    on %1: %2\n").arg(s.node, s.sql.simplified());
            break;
        case PlanStep::Kind::Command:
            out += QStringLiteral("    on %1: %2\n").arg(s.host.describe(), shellJoin(s.argv));
            break;
        case PlanStep::Kind::WriteFile:
            out += QStringLiteral("    on %1: write %2\n").arg(s.host.describe(), s.path);
            break;
        }
    }
    return out;
}

} // namespace pgdeck
