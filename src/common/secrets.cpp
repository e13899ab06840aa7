#include "secrets.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace pgdeck::secrets {

namespace {
const QRegularExpression &placeholderRe()
{
    static const QRegularExpression re(QStringLiteral("\\$\\{secret(-json)?:([A-Za-z0-9_]+)\\}"));
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
