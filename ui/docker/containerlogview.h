#pragma once

#include "docker/dockerengine.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QPlainTextEdit;

namespace pgdeck {

// One container's log as the engine sends it, under a "Log" header with a Follow check:
// followed live, or its last lines read once. Stderr lines are coloured and prefixed, and
// what the engine says about the log (empty, stream ended) is set apart as a note. Lines
// still arriving for a container or mode no longer shown are dropped.
class ContainerLogView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kFollowTail = 200; // lines of history when following starts
    static constexpr int kOneShotTail = 500;
    static constexpr int kMaxLogLines = 5000;

    explicit ContainerLogView(QWidget *parent = nullptr);

    // The engine to read from; the caller keeps ownership. Stops reading and forgets the
    // container (it belonged to the previous engine); the text shown stays.
    void setEngine(DockerEngine *engine);
    // Shows the log of container `id` from the start; empty: none.
    void showContainer(const QString &id);
    void restart(); // reads the current container's log anew
    void cancel();  // stops reading; the text shown stays
    bool isReading() const { return m_request != 0; }

    void setFollow(bool follow);
    bool isFollowing() const;
    QString text() const;

private:
    void onLogs(int requestId, const DockerResult &result, const QList<DockerLogLine> &lines);
    void onLogLines(int requestId, const QList<DockerLogLine> &lines);
    void onFollowFinished(int requestId, const DockerResult &result);
    void appendLines(const QList<DockerLogLine> &lines);
    void appendNote(const QString &text, bool isError = false);
    void scrollToEnd();

    QPointer<DockerEngine> m_engine;
    QString m_containerId;
    int m_request = 0;
    QCheckBox *m_follow;
    QPlainTextEdit *m_log;
};

} // namespace pgdeck
