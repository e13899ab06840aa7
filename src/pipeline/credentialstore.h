#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace pgdeck {

// CI tokens kept in the OS keychain (the Secret Service on Linux, through QtKeychain).
// An entry is named after the environment variable it stands in for and the API host,
// so one token per service and server: "GITHUB_TOKEN@api.github.com". The environment
// always wins: a token exported for one run overrides the stored one.
class CredentialStore : public QObject {
    Q_OBJECT
public:
    using ReadDone = std::function<void(const QString &secret, const QString &error)>;
    using WriteDone = std::function<void(const QString &error)>;

    explicit CredentialStore(QObject *parent = nullptr);

    static QString keychainService() { return QStringLiteral("io.github.pgdeck.pgdeck"); }
    static QString entryName(const QString &variable, const QUrl &apiBase);
    // The variables a service's credentials are named by ("github", "gitlab", "jenkins",
    // "circleci"), in the order they are asked; empty for any other name.
    static QStringList variablesFor(const QString &service);
    // The service's public API, whose host names the entry when no URL is given; empty
    // for Jenkins, which has none.
    static QUrl defaultApiBase(const QString &service);

    // Asynchronous, for the GUI thread. A missing entry reads as an empty secret with no
    // error; a keychain that cannot be reached is an error that says so.
    void read(const QString &entry, const ReadDone &done);
    void write(const QString &entry, const QString &secret, const WriteDone &done);
    void remove(const QString &entry, const WriteDone &done);

    // Blocking forms for the command line (they spin a local event loop).
    static QString readNow(const QString &entry, QString *error);
    static QString writeNow(const QString &entry, const QString &secret);
    static QString removeNow(const QString &entry);
};

// Where a credential came from, for the user to see.
enum class CredentialSource { None, Environment, Keychain };

} // namespace pgdeck
