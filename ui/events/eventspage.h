#pragma once

#include "monitor/monitorevent.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace pgdeck {

class EventsModel;

// The Events page: everything the monitor saw happen, newest first, narrowed by minimum
// severity and free text, exportable as CSV.
class EventsPage : public QWidget {
    Q_OBJECT
public:
    explicit EventsPage(QWidget *parent = nullptr);

    void addEvents(const QList<MonitorEvent> &events);
    EventsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // Writes the rows the page shows, in the order shown, as RFC 4180 CSV (UTF-8, CRLF,
    // a header row). Times are ISO 8601 with the UTC offset so a spreadsheet sorts them.
    bool exportCsv(const QString &path, QString *error);

private:
    void applySeverityFilter();
    void applyTextFilter(const QString &text);
    void updateSummary();
    void exportCsvDialog();

    EventsModel *m_model;
    QSortFilterProxyModel *m_severityProxy;
    QSortFilterProxyModel *m_textProxy;
    QTableView *m_view;
    QComboBox *m_severityBox;
    QLineEdit *m_filterEdit;
    QLabel *m_summary;
};

} // namespace pgdeck
