#include "eventspage.h"

#include "common/tablestyle.h"
#include "eventsmodel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

// RFC 4180: quote a field holding a separator, a quote or a line break; double the quotes.
QString csvField(const QString &value)
{
    static const QRegularExpression special(QStringLiteral("[,\"\r\n]"));
    if (!value.contains(special))
        return value;
    QString quoted = value;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toOffsetFromUtc(time.toLocalTime().offsetFromUtc()).toString(Qt::ISODateWithMs);
}

} // namespace

EventsPage::EventsPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new EventsModel(this))
    , m_severityProxy(new QSortFilterProxyModel(this))
    , m_textProxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_severityBox(new QComboBox(this))
    , m_filterEdit(new QLineEdit(this))
    , m_summary(new QLabel(this))
{
    // Two proxies: one for the severity floor, one for the text and the order. A single
    // QSortFilterProxyModel filters on one role only.
    m_severityProxy->setSourceModel(m_model);
    m_severityProxy->setFilterKeyColumn(EventsModel::SeverityColumn);
    m_severityProxy->setFilterRole(EventsModel::SeverityRole);
    m_textProxy->setSourceModel(m_severityProxy);
    m_textProxy->setFilterKeyColumn(-1);
    m_textProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_textProxy->setSortRole(EventsModel::SortRole);
    m_textProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_textProxy->setDynamicSortFilter(true);

    auto *title = new QLabel(tr("Events"), this);
    QFont tf = title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.45);
    tf.setBold(true);
    title->setFont(tf);

    m_severityBox->setObjectName(QStringLiteral("severityFilter"));
    m_severityBox->addItem(tr("All severities"), int(MonitorEvent::Severity::Info));
    m_severityBox->addItem(tr("Warnings and critical"), int(MonitorEvent::Severity::Warning));
    m_severityBox->addItem(tr("Critical only"), int(MonitorEvent::Severity::Critical));
    m_severityBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_severityBox->setToolTip(tr("Show events of this severity and worse"));
    m_filterEdit->setObjectName(QStringLiteral("textFilter"));
    m_filterEdit->setPlaceholderText(tr("Filter by node, kind or message…"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMinimumWidth(260);
    auto *exportButton = new QPushButton(tr("Export CSV…"), this);
    exportButton->setObjectName(QStringLiteral("exportCsv"));
    exportButton->setToolTip(tr("Save the events shown as a CSV file"));

    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(16);
    header->addWidget(m_summary, 0, Qt::AlignBottom);
    header->addStretch(1);
    header->addWidget(m_severityBox);
    header->addWidget(m_filterEdit);
    header->addWidget(exportButton);

    m_view->setModel(m_textProxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(EventsModel::TimeColumn, Qt::DescendingOrder);
    TableStyle::apply(m_view);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection); // rows to copy or export
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setIconSize(QSize(12, 12));
    QHeaderView *h = m_view->horizontalHeader();
    // Up to 10,000 rows: fixed widths measured once, not ResizeToContents on every insert.
    const QFontMetrics fm = m_view->fontMetrics();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->resizeSection(EventsModel::TimeColumn,
                     fm.horizontalAdvance(QStringLiteral("8888-88-88 88:88:88")) + 28);
    QFont bold = m_view->font();
    bold.setBold(true);
    const QFontMetrics bfm(bold);
    int severityWidth = 0;
    for (auto s : {MonitorEvent::Severity::Info, MonitorEvent::Severity::Warning,
                   MonitorEvent::Severity::Critical})
        severityWidth = qMax(severityWidth, bfm.horizontalAdvance(MonitorEvent::severityName(s)));
    h->resizeSection(EventsModel::SeverityColumn, severityWidth + m_view->iconSize().width() + 40);
    h->resizeSection(EventsModel::ClusterColumn,
                     fm.horizontalAdvance(QStringLiteral("cluster-name")) + 24);
    h->resizeSection(EventsModel::NodeColumn,
                     fm.horizontalAdvance(QStringLiteral("standby-node")) + 24);
    h->resizeSection(EventsModel::SubjectColumn,
                     fm.horizontalAdvance(QStringLiteral("standby-node")) + 24);
    h->resizeSection(EventsModel::KindColumn,
                     fm.horizontalAdvance(QStringLiteral("standby-appeared")) + 28);
    h->setStretchLastSection(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);

    connect(m_severityBox, &QComboBox::currentIndexChanged, this, &EventsPage::applySeverityFilter);
    connect(m_filterEdit, &QLineEdit::textChanged, this, &EventsPage::applyTextFilter);
    connect(exportButton, &QPushButton::clicked, this, &EventsPage::exportCsvDialog);
    connect(m_textProxy, &QAbstractItemModel::rowsInserted, this, &EventsPage::updateSummary);
    connect(m_textProxy, &QAbstractItemModel::rowsRemoved, this, &EventsPage::updateSummary);
    connect(m_textProxy, &QAbstractItemModel::modelReset, this, &EventsPage::updateSummary);
    connect(m_textProxy, &QAbstractItemModel::layoutChanged, this, &EventsPage::updateSummary);
    applySeverityFilter();
}

void EventsPage::addEvents(const QList<MonitorEvent> &events)
{
    m_model->addEvents(events);
}

void EventsPage::applySeverityFilter()
{
    const int floor = m_severityBox->currentData().toInt();
    if (floor <= int(MonitorEvent::Severity::Info)) {
        m_severityProxy->setFilterRegularExpression(QRegularExpression());
    } else {
        m_severityProxy->setFilterRegularExpression(QRegularExpression(
            QStringLiteral("^[%1-%2]$").arg(floor).arg(int(MonitorEvent::Severity::Critical))));
    }
    updateSummary();
}

void EventsPage::applyTextFilter(const QString &text)
{
    m_textProxy->setFilterFixedString(text.trimmed());
    updateSummary();
}

void EventsPage::updateSummary()
{
    const int total = m_model->rowCount();
    const int shown = m_textProxy->rowCount();
    if (total == 0) {
        m_summary->setText(tr("No events yet"));
        return;
    }
    QString text = total == 1 ? tr("1 event") : tr("%1 events").arg(QLocale().toString(total));
    if (shown != total)
        text += tr(" · %1 shown").arg(QLocale().toString(shown));
    m_summary->setText(text);
}

bool EventsPage::exportCsv(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const QLatin1String eol("\r\n");
    QStringList fields;
    for (int c = 0; c < EventsModel::ColumnCount; ++c)
        fields << csvField(m_model->headerData(c, Qt::Horizontal).toString().toLower());
    QString out = fields.join(QLatin1Char(',')) + eol;
    for (int r = 0; r < m_textProxy->rowCount(); ++r) {
        const QModelIndex proxyIndex = m_textProxy->index(r, 0);
        const QModelIndex mid = m_textProxy->mapToSource(proxyIndex);
        const MonitorEvent &e = m_model->eventAt(m_severityProxy->mapToSource(mid).row());
        fields.clear();
        for (int c = 0; c < EventsModel::ColumnCount; ++c)
            fields << csvField(c == EventsModel::TimeColumn ? csvTime(e.time)
                                                            : EventsModel::cellText(e, c));
        out += fields.join(QLatin1Char(',')) + eol;
    }
    file.write(out.toUtf8());
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void EventsPage::exportCsvDialog()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name =
        QStringLiteral("pgdeck-events-%1.csv")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export events"), dir + QLatin1Char('/') + name,
                                     tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export events"), error);
}

} // namespace pgdeck
