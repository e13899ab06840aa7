#pragma once

#include "plan.h"

namespace pgdeck {

// Exports a Plan as a bash script a DBA can read and run by hand: psql for SQL steps,
// ssh for remote hosts, the same guards as "already done?" checks. Secrets stay
// ${PGDECK_SECRET_NAME} references; no password is ever written.
class RunbookWriter {
public:
    static QString toShell(const Plan &plan, const QStringList &sshOptions = {});
    static QString toText(const Plan &plan); // a human preview, one block per step
};

} // namespace pgdeck
