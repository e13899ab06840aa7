#include "movespage.h"

#include "plan/runbookwriter.h"
#include "rebalancewizard.h"
#include "sharding/asynclookup.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

QTableWidget *table(const QString &name, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    return t;
}

void addRow(QTableWidget *t, const QStringList &cells, int rightAlignedFrom)
{
    const int row = t->rowCount();
    t->insertRow(row);
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells[c]);
        if (c >= rightAlignedFrom)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        t->setItem(row, c, item);
    }
}

QString load(qint64 v, bool bySize)
{
    return bySize ? QLocale().formattedDataSize(v) : QObject::tr("%n shard(s)", nullptr, int(v));
}

} // namespace

MovesPage::MovesPage(RebalanceWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("movesPage"));
    setTitle(tr("Moves"));
    setSubTitle(tr("Nothing has changed yet. While a shard moves, writes to it are refused; "
                   "every other shard stays writable."));
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("movesSummary"));
    m_summary->setWordWrap(true);
    m_moves = table(QStringLiteral("movesTable"),
                    {tr("Table"), tr("Shard"), tr("From"), tr("To"), tr("Size")});
    m_load = table(QStringLiteral("loadTable"), {tr("Worker"), tr("Before"), tr("After")});
    m_plan = new QPlainTextEdit;
    m_plan->setObjectName(QStringLiteral("movesPlan"));
    m_plan->setReadOnly(true);
    m_plan->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_plan->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_save = new QPushButton(tr("&Save runbook…"));
    m_save->setObjectName(QStringLiteral("saveRunbookButton"));

    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_moves);
    top->addWidget(m_load);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(m_plan);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    connect(m_save, &QPushButton::clicked, this, &MovesPage::saveRunbook);
}

void MovesPage::initializePage()
{
    m_moves->setRowCount(0);
    m_load->setRowCount(0);
    m_plan->clear();
    m_save->setEnabled(false);
    m_preparing = true;
    m_summary->setText(tr("Checking the workers and computing the moves…"));
    Q_EMIT completeChanged();
    const int generation = ++m_generation;
    const ClusterSpec cluster = m_wizard->cluster();
    const RebalanceRequest request = m_wizard->request();
    runLookup(
        this, [cluster, request] { return prepareRebalance(cluster, request); },
        [this, generation](const PreparedRebalance &r) {
            if (generation != m_generation)
                return;
            m_wizard->prepared() = r;
            m_preparing = false;
            present();
        });
}

void MovesPage::present()
{
    const PreparedRebalance &r = m_wizard->prepared();
    QStringList problems;
    if (!r.error.isEmpty())
        problems << r.error;
    problems << r.proposal.errors;
    if (!problems.isEmpty()) {
        QStringList lines;
        for (const QString &p : std::as_const(problems))
            lines << p.toHtmlEscaped();
        m_summary->setText(tr("<span style='color:#c62828'>Nothing will run: %1</span>")
                               .arg(lines.join(QStringLiteral("<br>"))));
        Q_EMIT completeChanged();
        return;
    }
    for (const ShardMove &m : r.proposal.moves)
        addRow(m_moves,
               {m.table, m.shard, m.from, m.to,
                m.bytes < 0 ? QStringLiteral("?") : QLocale().formattedDataSize(m.bytes)},
               4);
    QStringList workers = r.proposal.before.keys();
    for (const QString &w : r.proposal.after.keys())
        if (!workers.contains(w))
            workers << w;
    for (const QString &w : std::as_const(workers))
        addRow(m_load,
               {w, load(r.proposal.before.value(w), r.proposal.bySize),
                r.proposal.after.isEmpty() ? tr("Citus decides")
                                           : load(r.proposal.after.value(w), r.proposal.bySize)},
               1);
    for (QTableWidget *t : {m_moves, m_load})
        for (int c = 1; c < t->columnCount(); ++c)
            t->resizeColumnToContents(c);
    QString text;
    if (r.plan.steps().isEmpty()) {
        text = tr("The workers are balanced already: nothing to move.");
    } else {
        text = tr("%1 — backend %2, %n shard move(s), %3 steps.", nullptr,
                  int(r.proposal.moves.size()))
                   .arg(r.plan.title().toHtmlEscaped(), r.backend)
                   .arg(r.plan.steps().size());
        if (!r.proposal.after.isEmpty())
            text += tr(" Skew (largest worker ÷ mean) %1 → %2.")
                        .arg(RebalanceProposal::skew(r.proposal.before), 0, 'f', 2)
                        .arg(RebalanceProposal::skew(r.proposal.after), 0, 'f', 2);
        m_plan->setPlainText(RunbookWriter::toText(r.plan));
        m_save->setEnabled(true);
    }
    for (const QString &n : r.proposal.notes)
        text += QStringLiteral("<br>") + n.toHtmlEscaped();
    m_summary->setText(text);
    Q_EMIT completeChanged();
}

bool MovesPage::isComplete() const
{
    const PreparedRebalance &r = m_wizard->prepared();
    return !m_preparing && r.ok() && !r.plan.steps().isEmpty();
}

void MovesPage::saveRunbook()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save runbook"), QStringLiteral("rebalance.sh"), tr("Shell scripts (*.sh)"));
    if (path.isEmpty())
        return;
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(RunbookWriter::toShell(m_wizard->prepared().plan).toUtf8()) < 0 || !f.commit())
        QMessageBox::warning(this, tr("Save runbook"),
                             tr("Could not write %1: %2").arg(path, f.errorString()));
}

} // namespace pgdeck
