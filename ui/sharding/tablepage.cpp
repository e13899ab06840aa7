#include "tablepage.h"

#include "asynclookup.h"
#include "sharding/tableinfo.h"
#include "shardingwizard.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

QTableWidget *makeTable(const QString &name, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem *item(const QString &text, bool right = false)
{
    auto *i = new QTableWidgetItem(text);
    if (right)
        i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return i;
}

// Plain results of the two look-ups, made on a worker thread.
struct TableListReport {
    QList<inspect::TableListing> tables;
    QString error;
};

struct TableReport {
    bool ok = false;
    TableInfo info;
    QString error;
};

QString connectError(const QString &node, const QString &error)
{
    return QObject::tr("Could not connect to %1: %2").arg(node, error);
}

} // namespace

TablePage::TablePage(ShardingWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("tablePage"));
    setTitle(tr("Table"));
    setSubTitle(tr("Choose the table to shard. It keeps its name on the coordinator."));

    m_tables = makeTable(QStringLiteral("tableList"), {tr("Table"), tr("Size"), tr("Rows ~")});
    m_columns = makeTable(QStringLiteral("columnList"),
                          {tr("Column"), tr("Type"), tr("Not null"), tr("Default")});
    m_columns->setSelectionMode(QAbstractItemView::NoSelection);
    m_details = new QLabel;
    m_details->setObjectName(QStringLiteral("tableDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("tableError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color:#c62828"));
    m_error->hide();
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("tableStatus"));
    m_busy = new QProgressBar;
    m_busy->setObjectName(QStringLiteral("tableBusy"));
    m_busy->setRange(0, 0); // indeterminate
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(200);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_busy);
    statusRow->addWidget(m_status, 1);
    setBusy({});

    auto *detailBox = new QWidget;
    auto *detailLayout = new QVBoxLayout(detailBox);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_columns, 1);
    detailLayout->addWidget(m_details);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_tables);
    split->addWidget(detailBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addLayout(statusRow);
    layout->addWidget(m_error);

    connect(m_tables, &QTableWidget::itemSelectionChanged, this, &TablePage::inspectSelected);
}

bool TablePage::isBusy() const
{
    return !m_busy->isHidden();
}

void TablePage::setBusy(const QString &what)
{
    m_status->setText(what);
    m_status->setVisible(!what.isEmpty());
    m_busy->setVisible(!what.isEmpty());
}

void TablePage::showError(const QString &error)
{
    m_error->setText(error);
    m_error->show();
}

void TablePage::cleanupPage()
{
    ++m_generation; // Back: whatever is still being read is no longer wanted
    setBusy({});
    QWizardPage::cleanupPage();
}

void TablePage::initializePage()
{
    const quint64 generation = ++m_generation;
    const QString wanted =
        m_wizard->spec().table.isEmpty()
            ? QString()
            : m_wizard->spec().schema + QLatin1Char('.') + m_wizard->spec().table;
    m_inspected = false;
    m_error->hide();
    m_columns->setRowCount(0);
    m_details->clear();
    {
        const QSignalBlocker block(m_tables);
        m_tables->setRowCount(0);
    }
    Q_EMIT completeChanged();
    if (!m_wizard->hasCoordinator())
        return;
    const ConnectionParams params = m_wizard->coordinatorParams();
    const QString node = m_wizard->coordinatorName();
    setBusy(tr("Reading tables…"));
    runLookup(
        this,
        [params, node] {
            TableListReport r;
            QString error;
            if (auto conn = openLookupConnection(params, node, &error))
                r.tables = inspect::tables(*conn, &r.error);
            else
                r.error = connectError(node, error);
            return r;
        },
        [this, generation, wanted](const TableListReport &r) {
            if (generation != m_generation)
                return;
            setBusy({});
            if (!r.error.isEmpty())
                showError(r.error);
            const QList<inspect::TableListing> &tables = r.tables;
            const QLocale locale = QLocale::c();
            int select = -1;
            {
                const QSignalBlocker block(m_tables);
                m_tables->setRowCount(int(tables.size()));
                for (int i = 0; i < tables.size(); ++i) {
                    const inspect::TableListing &t = tables[i];
                    const QString name = t.schema + QLatin1Char('.') + t.name;
                    auto *first = item(name);
                    first->setData(Qt::UserRole, t.schema);
                    first->setData(Qt::UserRole + 1, t.name);
                    m_tables->setItem(i, 0, first);
                    m_tables->setItem(i, 1,
                                      item(locale.formattedDataSize(
                                               t.sizeBytes, 1, QLocale::DataSizeTraditionalFormat),
                                           true));
                    m_tables->setItem(i, 2, item(QString::number(t.rowEstimate), true));
                    if (name == wanted)
                        select = i;
                }
                m_tables->resizeColumnsToContents();
                if (select >= 0)
                    m_tables->selectRow(select);
            }
            if (select >= 0)
                inspectSelected();
        });
}

void TablePage::inspectSelected()
{
    const quint64 generation = ++m_generation;
    m_inspected = false;
    m_columns->setRowCount(0);
    m_details->clear();
    m_error->hide();
    setBusy({});
    const QList<QTableWidgetItem *> selected = m_tables->selectedItems();
    if (selected.isEmpty() || !m_wizard->hasCoordinator()) {
        Q_EMIT completeChanged();
        return;
    }
    QTableWidgetItem *first = m_tables->item(selected.first()->row(), 0);
    const QString schema = first->data(Qt::UserRole).toString();
    const QString name = first->data(Qt::UserRole + 1).toString();
    const ConnectionParams params = m_wizard->coordinatorParams();
    const QString node = m_wizard->coordinatorName();
    setBusy(tr("Reading %1…").arg(first->text()));
    Q_EMIT completeChanged();
    runLookup(
        this,
        [params, node, schema, name] {
            TableReport r;
            QString error;
            if (auto conn = openLookupConnection(params, node, &error))
                r.ok = inspect::table(*conn, schema, name, &r.info, &r.error);
            else
                r.error = connectError(node, error);
            return r;
        },
        [this, generation, schema, name](const TableReport &r) {
            if (generation != m_generation)
                return; // another table was chosen meanwhile
            setBusy({});
            if (!r.ok) {
                showError(r.error);
                Q_EMIT completeChanged();
                return;
            }
            showTable(schema, name, r.info);
        });
}

void TablePage::showTable(const QString &schema, const QString &name, const TableInfo &info)
{
    m_columns->setRowCount(int(info.columns.size()));
    for (int i = 0; i < info.columns.size(); ++i) {
        const ColumnInfo &c = info.columns[i];
        QString type = c.type;
        if (c.identity)
            type += tr(" (identity)");
        if (c.generated)
            type += tr(" (generated)");
        m_columns->setItem(i, 0, item(c.name));
        m_columns->setItem(i, 1, item(type));
        m_columns->setItem(i, 2, item(c.notNull ? tr("yes") : QString()));
        m_columns->setItem(i, 3, item(c.defaultExpr));
    }
    m_columns->resizeColumnsToContents();
    QStringList lines;
    lines << tr("<b>Primary key:</b> %1")
                 .arg(info.primaryKey.isEmpty()
                          ? tr("none")
                          : info.primaryKey.join(QStringLiteral(", ")).toHtmlEscaped());
    auto fks = [](const QList<ForeignKeyInfo> &list) {
        QStringList out;
        for (const ForeignKeyInfo &fk : list)
            out << QStringLiteral("%1 on %2: %3")
                       .arg(fk.name, fk.table, fk.definition)
                       .toHtmlEscaped();
        return out.isEmpty() ? QObject::tr("none") : out.join(QStringLiteral("<br>"));
    };
    lines << tr("<b>Foreign keys of this table:</b> %1").arg(fks(info.referenced));
    lines << tr("<b>Foreign keys pointing here:</b> %1").arg(fks(info.referencing));
    if (!info.dependentViews.isEmpty())
        lines << tr("<b>Views on it:</b> %1")
                     .arg(info.dependentViews.join(QStringLiteral(", ")).toHtmlEscaped());
    m_details->setText(lines.join(QStringLiteral("<br>")));

    const bool changed = m_wizard->spec().schema != schema || m_wizard->spec().table != name;
    m_wizard->table() = info;
    m_wizard->spec().schema = schema;
    m_wizard->spec().table = name;
    if (changed)
        m_wizard->spec().key.clear();
    m_inspected = true;
    Q_EMIT completeChanged();
}

} // namespace pgdeck
