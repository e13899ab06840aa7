#pragma once

#include <QObject>

#include <functional>
#include <memory>
#include <unordered_map>

class QSocketNotifier;

namespace pgdeck {

// One epoll set per thread for the sockets of every connection living there, watched
// through a single QSocketNotifier. Qt's event dispatchers poll every notifier of the
// thread on each wake-up: with hundreds of connections whose answers arrive one by one,
// that scan cost more than reading the answers. Here a wake-up costs the sockets that are
// ready. Level-triggered, like QSocketNotifier.
class SocketPoller : public QObject, public std::enable_shared_from_this<SocketPoller> {
    Q_OBJECT

public:
    enum Event { Read = 1, Write = 2 };
    using Handler = std::function<void(int events)>;

    // The current thread's poller, created on first use and gone with its last user.
    static std::shared_ptr<SocketPoller> forCurrentThread();
    ~SocketPoller() override;

    // Watches fd for the given events (0: none for now), calling handler from this thread's
    // event loop while it is ready. A second call changes the events and keeps the handler
    // unless a new one is given.
    void watch(int fd, int events, Handler handler = {});
    void unwatch(int fd);
    int watchedCount() const { return int(m_entries.size()); }

private:
    SocketPoller();
    void dispatch();
    bool control(int op, int fd, int events);

    struct Entry {
        int events = 0;     // what the user wants
        bool added = false; // in the epoll set: only while events != 0, or a hung-up
                            // socket nobody reads would wake the loop forever
        Handler handler;
    };
    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::unordered_map<int, Entry> m_entries;
};

} // namespace pgdeck
