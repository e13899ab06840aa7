#pragma once

#include "docker/composeplanner.h"
#include "docker/dockerstate.h"

#include <QDialog>
#include <QWidget>

class QLabel;
class QPushButton;

namespace pgdeck {

class PlanRunView;

// Runs one Compose plan (restart, down) and shows it step by step; closes when asked.
class ComposeActionDialog : public QDialog {
    Q_OBJECT
public:
    ComposeActionDialog(const Plan &plan, QWidget *parent = nullptr);
    PlanRunView *runView() const { return m_view; }

Q_SIGNALS:
    void finished(bool ok);

private:
    PlanRunView *m_view;
};

// The Containers page's actions on a compose project: restart (the selected service, or
// every service) and take the project down. The project's directory comes from the labels
// Compose puts on its containers, so any project the engine runs can be acted on.
class ComposeActions : public QWidget {
    Q_OBJECT
public:
    explicit ComposeActions(QWidget *parent = nullptr);

    // name empty: no project chosen, the actions are off.
    void setProject(const QString &name, const QList<DockerContainer> &containers,
                    const QString &selectedService);
    // The project as Compose left it on its containers; false with *why when it cannot
    // be acted on (not started by Compose, or its directory is gone).
    static bool projectFromContainers(const QString &name, const QList<DockerContainer> &containers,
                                      ComposeProject *project, QString *why);

    void restart();  // reads the configuration off the GUI thread, then runs the plan
    void takeDown(); // asks; the volumes only after a second, explicit confirmation
    // Runs plan in a dialog; the actions above end here.
    ComposeActionDialog *run(const Plan &plan);

Q_SIGNALS:
    void actionFinished(bool ok);

private:
    QPushButton *m_restart;
    QPushButton *m_down;
    QString m_name;
    QString m_service;
    QList<DockerContainer> m_containers;
};

} // namespace pgdeck
