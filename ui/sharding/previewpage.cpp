#include "previewpage.h"

#include "plan/runbookwriter.h"
#include "sharding/shardingbackend.h"
#include "shardingwizard.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTabWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

QPlainTextEdit *textView(const QString &name, const QString &text)
{
    auto *view = new QPlainTextEdit(text);
    view->setObjectName(name);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

} // namespace

PreviewPage::PreviewPage(ShardingWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("previewPage"));
    setTitle(tr("Preview"));
    setSubTitle(tr("Nothing has changed yet. These steps run next, in this order."));

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("previewSummary"));
    m_summary->setWordWrap(true);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("previewTabs"));
    m_save = new QPushButton(tr("&Save runbook…"));
    m_save->setObjectName(QStringLiteral("saveRunbookButton"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);

    connect(m_save, &QPushButton::clicked, this, &PreviewPage::saveRunbookDialog);
}

void PreviewPage::initializePage()
{
    m_valid = false;
    while (m_tabs->count() > 0) {
        QWidget *w = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete w;
    }
    const ShardingBackend *backend = m_wizard->backend();
    if (!backend)
        return;
    const ShardingSpec &spec = m_wizard->spec();
    const Plan plan =
        backend->plan(spec, m_wizard->table(), m_wizard->review(), m_wizard->cluster());
    m_wizard->plan() = plan;
    QString error;
    m_valid = plan.validate(&error);
    QString summary = tr("Shard <b>%1</b> (%2 rows) by %3 of <b>%4</b> over %5 — backend %6, "
                         "%7 steps.")
                          .arg(spec.qualifiedTable().toHtmlEscaped())
                          .arg(m_wizard->review().rows)
                          .arg(strategyName(spec.strategy), spec.key.toHtmlEscaped(),
                               spec.workers.join(QStringLiteral(", ")).toHtmlEscaped(),
                               backend->name().toHtmlEscaped())
                          .arg(plan.steps().size());
    if (!m_valid)
        summary +=
            QStringLiteral("<br><span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped());
    m_summary->setText(summary);

    m_tabs->addTab(textView(QStringLiteral("previewText"), RunbookWriter::toText(plan)),
                   tr("All steps"));
    // One tab per node: the same preview with only the steps that run there.
    QStringList nodes = plan.nodes().keys();
    for (const PlanStep &s : plan.steps())
        if (!s.node.isEmpty() && !nodes.contains(s.node))
            nodes << s.node;
    for (const QString &node : std::as_const(nodes)) {
        Plan part(plan.title(), plan.cluster());
        part.setId(plan.id());
        part.setNode(node, plan.node(node));
        for (const PlanStep &s : plan.steps())
            if (s.node == node)
                part.add(s);
        if (part.steps().isEmpty())
            continue;
        m_tabs->addTab(textView(QStringLiteral("previewText-") + node, RunbookWriter::toText(part)),
                       tr("%1 (%2)").arg(node).arg(part.steps().size()));
    }
    m_save->setEnabled(m_valid);
    Q_EMIT completeChanged();
}

bool PreviewPage::saveRunbook(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(RunbookWriter::toShell(m_wizard->plan()).toUtf8());
    if (!f.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    QFile::setPermissions(path, QFile::permissions(path) | QFile::ExeOwner | QFile::ExeGroup |
                                    QFile::ExeOther);
    return true;
}

void PreviewPage::saveRunbookDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save runbook"), QStringLiteral("shard-%1.sh").arg(m_wizard->spec().table),
        tr("Shell scripts (*.sh);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveRunbook(path, &error))
        QMessageBox::warning(this, tr("Save runbook"), error);
}

} // namespace pgdeck
