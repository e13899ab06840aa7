#include "socketpoller.h"

#include <QSocketNotifier>
#include <QtGlobal>

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pgdeck {

namespace {
thread_local std::weak_ptr<SocketPoller> t_poller;
} // namespace

std::shared_ptr<SocketPoller> SocketPoller::forCurrentThread()
{
    if (auto p = t_poller.lock())
        return p;
    // Deleted later: the last user may let go from inside the notifier's own signal.
    std::shared_ptr<SocketPoller> p(new SocketPoller, [](SocketPoller *poller) {
        if (poller->m_notifier)
            poller->m_notifier->setEnabled(false);
        poller->deleteLater();
    });
    t_poller = p;
    return p;
}

SocketPoller::SocketPoller()
    : m_epoll(epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0) {
        qWarning("pgdeck: epoll_create1: %s", std::strerror(errno));
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SocketPoller::dispatch);
}

SocketPoller::~SocketPoller()
{
    delete m_notifier;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool SocketPoller::control(int op, int fd, int events)
{
    epoll_event ev{};
    ev.events = ((events & Read) ? EPOLLIN : 0u) | ((events & Write) ? EPOLLOUT : 0u);
    ev.data.fd = fd;
    return epoll_ctl(m_epoll, op, fd, &ev) == 0;
}

void SocketPoller::watch(int fd, int events, Handler handler)
{
    if (m_epoll < 0 || fd < 0)
        return;
    Entry &e = m_entries[fd];
    if (handler)
        e.handler = std::move(handler);
    e.events = events;
    if (events == 0) {
        if (e.added)
            control(EPOLL_CTL_DEL, fd, 0);
        e.added = false;
    } else if (e.added) {
        control(EPOLL_CTL_MOD, fd, events);
    } else {
        // The number may be a closed socket's, reused: EEXIST then means a stale entry.
        e.added = control(EPOLL_CTL_ADD, fd, events) ||
                  (errno == EEXIST && control(EPOLL_CTL_MOD, fd, events));
        if (!e.added)
            qWarning("pgdeck: epoll_ctl(%d): %s", fd, std::strerror(errno));
    }
}

void SocketPoller::unwatch(int fd)
{
    const auto it = m_entries.find(fd);
    if (it == m_entries.end())
        return;
    if (it->second.added)
        control(EPOLL_CTL_DEL, fd, 0);
    m_entries.erase(it);
}

void SocketPoller::dispatch()
{
    const std::shared_ptr<SocketPoller> keep =
        shared_from_this(); // a handler may drop the last user
    epoll_event ready[64];
    const int n = epoll_wait(m_epoll, ready, 64, 0);
    for (int i = 0; i < n; ++i) {
        const int fd = ready[i].data.fd;
        const bool hangup = ready[i].events & (EPOLLERR | EPOLLHUP);
        for (const Event event : {Read, Write}) {
            // Looked up again each time: the previous handler may have changed or removed it.
            const auto it = m_entries.find(fd);
            if (it == m_entries.end())
                break;
            if (!(it->second.events & event))
                continue;
            const bool flagged = hangup || (ready[i].events & (event == Read ? EPOLLIN : EPOLLOUT));
            if (!flagged)
                continue;
            const Handler handler = it->second.handler; // survives the entry's removal
            handler(event);
        }
    }
}

} // namespace pgdeck
