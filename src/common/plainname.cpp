#include "plainname.h"

#include <QRegularExpression>

namespace pgdeck {

bool isPlainName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    return re.match(name).hasMatch();
}

} // namespace pgdeck
