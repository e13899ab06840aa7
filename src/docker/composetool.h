#pragma once

#include <QString>
#include <QStringList>

namespace pgdeck {

// Docker Compose as the user has it: the v2 plugin (`docker compose`) or v1
// (`docker-compose`). Every action pgdeck runs goes through the same command.
class ComposeTool {
public:
    // Finds the command: `docker compose` when `docker compose version` answers, else
    // `docker-compose`. Empty, with *error saying what to install, when neither exists.
    static QStringList detect(QString *version = nullptr, QString *error = nullptr);

    // `… config -q` in dir: the file as Compose reads it, with .env. Returns false and
    // Compose's own message (file and line included) when it is refused.
    static bool validate(const QStringList &compose, const QString &dir, QString *message);

    // `… config` in dir: the resolved configuration (stdout only; warnings dropped), or
    // false and Compose's message.
    static bool config(const QStringList &composeCommand, const QString &dir, QByteArray *yaml,
                       QString *message);
};

} // namespace pgdeck
