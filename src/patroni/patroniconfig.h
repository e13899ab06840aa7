#pragma once

#include "patronispec.h"

#include <QString>

namespace pgdeck {

// The files Patroni needs on each member, generated from the cluster spec.
class PatroniConfig {
public:
    // patroni.yml for one member. Passwords appear as ${secret:NAME} placeholders that the
    // Plan executor fills when it writes the file (mode 0600, owned by the server's user).
    static QString yaml(const PatroniClusterSpec &cluster, const PatroniMemberSpec &member);

    // A systemd unit that runs that member's Patroni as the server's OS user.
    static QString systemdUnit(const PatroniClusterSpec &cluster, const PatroniMemberSpec &member);

    // The pg_hba.conf lines Patroni installs: the members replicate from each other, the
    // members and the client networks log in with SCRAM.
    static QStringList hbaLines(const PatroniClusterSpec &cluster);
};

} // namespace pgdeck
