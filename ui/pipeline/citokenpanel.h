#pragma once

#include <QHash>
#include <QStringList>
#include <QUrl>
#include <QWidget>

class QLabel;
class QPushButton;

namespace pgdeck {

class CredentialStore;

// Where the CI service's credentials come from, and the buttons to keep them in the OS
// keychain. Each variable is taken from pgdeck's environment when it is set there, else
// from the keychain entry for the service's API server. Secrets are never shown.
class CiTokenPanel : public QWidget {
    Q_OBJECT
public:
    explicit CiTokenPanel(QWidget *parent = nullptr);

    // The variables the service reads (e.g. JENKINS_USER, JENKINS_TOKEN) and its API base;
    // the keychain is read again for them.
    void setTarget(const QStringList &variables, const QUrl &apiBase);
    QUrl apiBase() const { return m_apiBase; }
    bool isReading() const { return m_pendingReads > 0; }
    QString value(const QString &variable) const; // environment, else keychain; may be empty
    QStringList missing() const;
    QString statusText() const;

    // Stores the values (variable → secret) in the keychain, then reads them back.
    void store(const QHash<QString, QString> &values);
    void forget();

Q_SIGNALS:
    void credentialsRead(); // every keychain read of the current target has answered
    void keychainError(const QString &message);

private:
    void askAndStore();
    void readKeychain();
    void updateText();

    CredentialStore *m_store;
    QLabel *m_label;
    QPushButton *m_storeButton;
    QPushButton *m_forgetButton;
    QStringList m_variables;
    QUrl m_apiBase;
    QHash<QString, QString> m_keychain; // variable → secret read from the keychain
    QString m_keychainError;
    int m_pendingReads = 0;
    int m_generation = 0; // answers for an older target are dropped
};

} // namespace pgdeck
