#include "containerlogview.h"

#include "common/healthstyle.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

const QString kStderrPrefix = QStringLiteral("[stderr] ");

} // namespace

ContainerLogView::ContainerLogView(QWidget *parent)
    : QWidget(parent)
    , m_follow(new QCheckBox(tr("Follow"), this))
    , m_log(new QPlainTextEdit(this))
{
    m_follow->setObjectName(QStringLiteral("followCheck"));
    m_follow->setAccessibleName(tr("Follow the log"));
    m_follow->setToolTip(tr("On: new lines appear as the container writes them. "
                            "Off: the last %1 lines, read once.")
                             .arg(kOneShotTail));
    m_follow->setChecked(true);
    m_log->setObjectName(QStringLiteral("logView"));
    m_log->setAccessibleName(tr("Container log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("Select a container to read its log."));

    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Log"), this));
    header->addStretch(1);
    header->addWidget(m_follow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_log);

    connect(m_follow, &QCheckBox::toggled, this, &ContainerLogView::restart);
}

void ContainerLogView::setEngine(DockerEngine *engine)
{
    if (engine == m_engine)
        return;
    cancel();
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    m_containerId.clear();
    if (!m_engine)
        return;
    connect(m_engine, &DockerEngine::logsReceived, this, &ContainerLogView::onLogs);
    connect(m_engine, &DockerEngine::logLinesReceived, this, &ContainerLogView::onLogLines);
    connect(m_engine, &DockerEngine::followFinished, this, &ContainerLogView::onFollowFinished);
}

void ContainerLogView::showContainer(const QString &id)
{
    m_containerId = id;
    restart();
}

void ContainerLogView::setFollow(bool follow)
{
    m_follow->setChecked(follow); // toggled() restarts the log
}

bool ContainerLogView::isFollowing() const
{
    return m_follow->isChecked();
}

QString ContainerLogView::text() const
{
    return m_log->toPlainText();
}

void ContainerLogView::cancel()
{
    if (m_request > 0 && m_engine)
        m_engine->cancel(m_request);
    m_request = 0;
}

void ContainerLogView::restart()
{
    cancel();
    m_log->clear();
    if (m_containerId.isEmpty() || !m_engine)
        return;
    m_request = m_follow->isChecked() ? m_engine->followLogs(m_containerId, kFollowTail)
                                      : m_engine->logs(m_containerId, kOneShotTail);
}

void ContainerLogView::onLogs(int requestId, const DockerResult &result,
                              const QList<DockerLogLine> &lines)
{
    if (requestId != m_request)
        return;
    m_request = 0;
    if (!result.ok) {
        appendNote(tr("Could not read the log: %1").arg(result.message), true);
        return;
    }
    appendLines(lines);
    if (lines.isEmpty())
        appendNote(tr("The log is empty."));
}

void ContainerLogView::onLogLines(int requestId, const QList<DockerLogLine> &lines)
{
    if (requestId == m_request)
        appendLines(lines);
}

void ContainerLogView::onFollowFinished(int requestId, const DockerResult &result)
{
    if (requestId != m_request)
        return;
    m_request = 0;
    if (result.ok)
        appendNote(tr("The container stopped: the log ends here."));
    else if (!result.cancelled)
        appendNote(tr("The log stream broke off: %1").arg(result.message), true);
}

void ContainerLogView::appendLines(const QList<DockerLogLine> &lines)
{
    if (lines.isEmpty())
        return;
    QTextCharFormat normal;
    QTextCharFormat error;
    error.setForeground(HealthStyle::color(NodeStatus::Health::Down).darker(110));
    QTextCursor cursor(m_log->document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    bool first = m_log->document()->isEmpty();
    for (const DockerLogLine &line : lines) {
        if (!first)
            cursor.insertBlock();
        first = false;
        // Stderr is both coloured and prefixed: the prefix survives copy and paste.
        if (line.stream == DockerLogLine::Stream::Stderr)
            cursor.insertText(kStderrPrefix + line.text, error);
        else
            cursor.insertText(line.text, normal);
    }
    cursor.endEditBlock();
    scrollToEnd();
}

void ContainerLogView::appendNote(const QString &text, bool isError)
{
    QTextCharFormat format;
    format.setFontItalic(true);
    format.setForeground(isError ? HealthStyle::color(NodeStatus::Health::Down)
                                 : HealthStyle::staleText().darker(120));
    QTextCursor cursor(m_log->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_log->document()->isEmpty())
        cursor.insertBlock();
    cursor.insertText(QStringLiteral("— %1 —").arg(text), format);
    scrollToEnd();
}

void ContainerLogView::scrollToEnd()
{
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

} // namespace pgdeck
