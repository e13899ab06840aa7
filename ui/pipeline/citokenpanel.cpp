#include "citokenpanel.h"

#include "common/healthstyle.h"
#include "pipeline/ciservice.h"
#include "pipeline/credentialstore.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <memory>

namespace pgdeck {

CiTokenPanel::CiTokenPanel(QWidget *parent)
    : QWidget(parent)
    , m_store(new CredentialStore(this))
    , m_label(new QLabel(this))
    , m_storeButton(new QPushButton(tr("Store in &Keychain…"), this))
    , m_forgetButton(new QPushButton(tr("&Forget"), this))
{
    m_label->setObjectName(QStringLiteral("tokenStatus"));
    m_label->setAccessibleName(tr("Where the token comes from"));
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setWordWrap(true);
    m_storeButton->setObjectName(QStringLiteral("storeTokenButton"));
    m_storeButton->setAccessibleName(tr("Store the service's token in the OS keychain"));
    m_forgetButton->setObjectName(QStringLiteral("forgetTokenButton"));
    m_forgetButton->setAccessibleName(tr("Remove the service's token from the OS keychain"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_storeButton);
    layout->addWidget(m_forgetButton);
    connect(m_storeButton, &QPushButton::clicked, this, &CiTokenPanel::askAndStore);
    connect(m_forgetButton, &QPushButton::clicked, this, &CiTokenPanel::forget);
}

void CiTokenPanel::setTarget(const QStringList &variables, const QUrl &apiBase)
{
    // Same target, being read or read: nothing new to ask (an error is worth asking again).
    if (variables == m_variables && apiBase == m_apiBase && !variables.isEmpty() &&
        (m_pendingReads > 0 || m_keychainError.isEmpty()))
        return;
    m_variables = variables;
    m_apiBase = apiBase;
    readKeychain();
}

void CiTokenPanel::readKeychain()
{
    ++m_generation;
    m_keychain.clear();
    m_keychainError.clear();
    m_pendingReads = 0;
    for (const QString &variable : std::as_const(m_variables)) {
        if (!CiClient::tokenFromEnvironment(variable).isEmpty())
            continue; // the environment wins; the keychain is not asked
        ++m_pendingReads;
        const int generation = m_generation;
        m_store->read(CredentialStore::entryName(variable, m_apiBase),
                      [this, generation, variable](const QString &secret, const QString &error) {
                          if (generation != m_generation)
                              return;
                          if (!secret.isEmpty())
                              m_keychain.insert(variable, secret);
                          if (!error.isEmpty())
                              m_keychainError = error;
                          if (--m_pendingReads == 0) {
                              updateText();
                              Q_EMIT credentialsRead();
                          }
                      });
    }
    updateText();
    if (m_pendingReads == 0)
        Q_EMIT credentialsRead();
}

QString CiTokenPanel::value(const QString &variable) const
{
    const QString env = CiClient::tokenFromEnvironment(variable);
    return env.isEmpty() ? m_keychain.value(variable) : env;
}

QStringList CiTokenPanel::missing() const
{
    QStringList out;
    for (const QString &v : m_variables)
        if (value(v).isEmpty())
            out << v;
    return out;
}

QString CiTokenPanel::statusText() const
{
    QStringList env, keychain;
    for (const QString &v : m_variables) {
        if (!CiClient::tokenFromEnvironment(v).isEmpty())
            env << v;
        else if (m_keychain.contains(v))
            keychain << v;
    }
    QStringList parts;
    if (!env.isEmpty())
        parts << tr("%1 from pgdeck's environment").arg(env.join(tr(" and ")).toHtmlEscaped());
    if (!keychain.isEmpty())
        parts << tr("%1 from the keychain").arg(keychain.join(tr(" and ")).toHtmlEscaped());
    QString text =
        parts.isEmpty() ? QString() : tr("Credentials: %1.").arg(parts.join(QStringLiteral("; ")));
    if (isReading())
        return (text + tr(" Reading the keychain for %1…").arg(missing().join(tr(" and "))))
            .trimmed();
    const QStringList unset = missing();
    if (!unset.isEmpty()) {
        const QColor red = HealthStyle::color(NodeStatus::Health::Down);
        text += tr("<span style=\"color:%1\"><b>%2 not set.</b></span> Export it in the "
                   "environment pgdeck starts from, or store it in the keychain.")
                    .arg(red.name(), unset.join(tr(" and ")).toHtmlEscaped());
    }
    if (!m_keychainError.isEmpty())
        text += QLatin1Char(' ') + m_keychainError.toHtmlEscaped();
    return text.trimmed();
}

void CiTokenPanel::updateText()
{
    m_label->setText(statusText());
    m_forgetButton->setEnabled(!m_keychain.isEmpty());
}

void CiTokenPanel::askAndStore()
{
    QHash<QString, QString> values;
    for (const QString &variable : std::as_const(m_variables)) {
        const bool secret = variable.endsWith(QLatin1String("TOKEN"));
        bool ok = false;
        const QString v = QInputDialog::getText(
            this, tr("Store in Keychain"),
            tr("%1 for %2:")
                .arg(variable,
                     m_apiBase.host().isEmpty() ? m_apiBase.toString() : m_apiBase.host()),
            secret ? QLineEdit::Password : QLineEdit::Normal, {}, &ok);
        if (!ok || v.trimmed().isEmpty())
            return;
        values.insert(variable, v.trimmed());
    }
    store(values);
}

void CiTokenPanel::store(const QHash<QString, QString> &values)
{
    // Read back once every write has answered.
    auto left = std::make_shared<int>(int(values.size()));
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        m_store->write(CredentialStore::entryName(it.key(), m_apiBase), it.value(),
                       [this, left](const QString &error) {
                           if (!error.isEmpty())
                               Q_EMIT keychainError(error);
                           if (--*left == 0)
                               readKeychain();
                       });
}

void CiTokenPanel::forget()
{
    auto left = std::make_shared<int>(int(m_variables.size()));
    for (const QString &variable : std::as_const(m_variables))
        m_store->remove(CredentialStore::entryName(variable, m_apiBase),
                        [this, left](const QString &error) {
                            if (!error.isEmpty())
                                Q_EMIT keychainError(error);
                            if (--*left == 0)
                                readKeychain();
                        });
}

} // namespace pgdeck
