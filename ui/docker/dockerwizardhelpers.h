#pragma once

#include <QColor>
#include <QFutureWatcher>
#include <QStringList>
#include <QtConcurrent/QtConcurrentRun>

class QLabel;
class QLineEdit;
class QSpinBox;

// What the Docker wizard's pages share: their colours, how they build their fields and
// notes, and how they run Docker Compose without blocking the GUI thread.
namespace pgdeck::dockerwizard {

inline const QColor kRed(0xc6, 0x28, 0x28);
inline const QColor kGreen(0x2e, 0x7d, 0x32);
inline const QColor kOrange(0xe6, 0x51, 0x00);
inline const QColor kGrey(0x61, 0x61, 0x61);

QLineEdit *lineEdit(const QString &name, const QString &accessible);
QSpinBox *spinBox(const QString &name, const QString &accessible, int min, int max, int value);
QLabel *noteLabel(const QString &text = {});
void setColoredText(QLabel *label, const QString &text, const QColor &color);
// One problem a line, in red, where the user is looking; empty when all is well.
void showErrors(QLabel *label, const QStringList &errors);

// Runs work on the thread pool and hands its value to done on context's thread; nothing
// arrives once context is gone.
template <typename T, typename Work, typename Done>
void runOffGuiThread(QObject *context, Work work, Done done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(work));
}

} // namespace pgdeck::dockerwizard
