#include "secrets.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace pgdeck::secrets {

namespace {
const QRegularExpression &placeholderRe()
{
    static const QRegularExpression re(
        QStringLiteral("\\$\\{secret(-json|-scram)?:([A-Za-z0-9_]+)\\}"));
    return re;
}
} // namespace

QString envName(const QString &secretName)
{
    return QStringLiteral("PGDECK_SECRET_") + secretName.toUpper();
}

QStringList placeholders(const QString &text)
{
    QStringList names;
    auto it = placeholderRe().globalMatch(text);
    while (it.hasNext())
        names << it.next().captured(2);
    return names;
}

bool fill(const QString &text, QString *out, QString *error)
{
    QString result;
    qsizetype last = 0;
    auto it = placeholderRe().globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString var = envName(m.captured(2));
        if (!qEnvironmentVariableIsSet(var.toLocal8Bit().constData())) {
            *error = QStringLiteral("secret \"%1\" is not set: export %2 before running")
                         .arg(m.captured(2), var);
            return false;
        }
        result += text.mid(last, m.capturedStart() - last);
        const QString value = qEnvironmentVariable(var.toLocal8Bit().constData());
        if (m.captured(1).isEmpty()) {
            result += value;
        } else if (m.captured(1) == QLatin1String("-scram")) {
            result += scramVerifier(value);
        } else { // a quoted string literal, valid in JSON and as a YAML double-quoted scalar
            const QByteArray array =
                QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
            result += QString::fromUtf8(array.mid(1, array.size() - 2));
        }
        last = m.capturedEnd();
    }
    result += text.mid(last);
    *out = result;
    return true;
}

QString scramVerifier(const QString &password, const QByteArray &fixedSalt)
{
    // RFC 5802/7677 as PostgreSQL stores it:
    // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>. PostgreSQL SASLpreps the password;
    // NFKC is that for every password people type.
    const QByteArray pw = password.normalized(QString::NormalizationForm_KC).toUtf8();
    QByteArray salt = fixedSalt;
    if (salt.isEmpty()) {
        salt.resize(16);
        QRandomGenerator::system()->generate(salt.begin(), salt.end());
    }
    const int iterations = 4096;
    const QByteArray salted =
        QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, pw, salt, iterations, 32);
    const QByteArray clientKey = QMessageAuthenticationCode::hash(
        QByteArrayLiteral("Client Key"), salted, QCryptographicHash::Sha256);
    const QByteArray storedKey = QCryptographicHash::hash(clientKey, QCryptographicHash::Sha256);
    const QByteArray serverKey = QMessageAuthenticationCode::hash(
        QByteArrayLiteral("Server Key"), salted, QCryptographicHash::Sha256);
    return QStringLiteral("SCRAM-SHA-256$%1:%2$%3:%4")
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(storedKey.toBase64()),
             QString::fromLatin1(serverKey.toBase64()));
}

QString mask(const QString &text)
{
    static const QRegularExpression kv(
        QStringLiteral("((?:password|sslpassword|PGPASSWORD|POSTGRES_PASSWORD)\\s*[=:]\\s*)"
                       "('[^']*'|\"[^\"]*\"|\\S+)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression uri(QStringLiteral("(postgres(?:ql)?://[^:/@\\s]+:)[^@\\s]+@"));
    QString s = text;
    s.replace(kv, QStringLiteral("\\1********"));
    s.replace(uri, QStringLiteral("\\1********@"));
    return s;
}

} // namespace pgdeck::secrets
