#include "credentialstore.h"

#include "circleciclient.h"
#include "githubclient.h"
#include "gitlabclient.h"
#include "jenkinsclient.h"

#include <QEventLoop>

#include <qt6keychain/keychain.h>

namespace pgdeck {

namespace {

QString jobError(const QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::NoError:
    case QKeychain::EntryNotFound:
        return {};
    case QKeychain::NoBackendAvailable:
        return QObject::tr("no keychain is available (%1); export the token in the "
                           "environment instead")
            .arg(job->errorString());
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QObject::tr("the keychain refused access: %1").arg(job->errorString());
    default:
        return QObject::tr("keychain error: %1").arg(job->errorString());
    }
}

// Jobs have no parent and delete themselves when they finish: the Secret Service backend
// calls back into its job when D-Bus answers, so a job must outlive a store (or a page)
// destroyed mid-request. The answer then goes nowhere: the connection's context is gone.
template <typename Job> Job *makeJob(const QString &entry)
{
    auto *job = new Job(CredentialStore::keychainService());
    job->setAutoDelete(true);
    job->setKey(entry);
    // Never a plain-text file behind the user's back.
    job->setInsecureFallback(false);
    return job;
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{}

QString CredentialStore::entryName(const QString &variable, const QUrl &apiBase)
{
    const QString host =
        apiBase.host().isEmpty() ? QStringLiteral("default") : apiBase.host().toLower();
    const QString port = apiBase.port() > 0 ? QStringLiteral(":%1").arg(apiBase.port()) : QString();
    return QStringLiteral("%1@%2%3").arg(variable, host, port);
}

QStringList CredentialStore::variablesFor(const QString &service)
{
    if (service == QLatin1String("github"))
        return {GitHubClient::tokenVariable()};
    if (service == QLatin1String("gitlab"))
        return {GitLabClient::tokenVariable()};
    if (service == QLatin1String("jenkins"))
        return {JenkinsClient::userVariable(), JenkinsClient::tokenVariable()};
    if (service == QLatin1String("circleci"))
        return {CircleCiClient::tokenVariable()};
    return {};
}

QUrl CredentialStore::defaultApiBase(const QString &service)
{
    if (service == QLatin1String("github"))
        return GitHubClient::defaultBaseUrl();
    if (service == QLatin1String("gitlab"))
        return GitLabClient::defaultBaseUrl();
    if (service == QLatin1String("circleci"))
        return CircleCiClient::defaultBaseUrl();
    return {};
}

void CredentialStore::read(const QString &entry, const ReadDone &done)
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(entry);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        const QString error = jobError(j);
        done(error.isEmpty() ? static_cast<QKeychain::ReadPasswordJob *>(j)->textData() : QString(),
             error);
    });
    job->start();
}

void CredentialStore::write(const QString &entry, const QString &secret, const WriteDone &done)
{
    auto *job = makeJob<QKeychain::WritePasswordJob>(entry);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) { done(jobError(j)); });
    job->start();
}

void CredentialStore::remove(const QString &entry, const WriteDone &done)
{
    auto *job = makeJob<QKeychain::DeletePasswordJob>(entry);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) { done(jobError(j)); });
    job->start();
}

QString CredentialStore::readNow(const QString &entry, QString *error)
{
    CredentialStore store;
    QEventLoop loop;
    QString secret;
    store.read(entry, [&](const QString &s, const QString &e) {
        secret = s;
        if (error)
            *error = e;
        loop.quit();
    });
    loop.exec();
    return secret;
}

QString CredentialStore::writeNow(const QString &entry, const QString &secret)
{
    CredentialStore store;
    QEventLoop loop;
    QString error;
    store.write(entry, secret, [&](const QString &e) {
        error = e;
        loop.quit();
    });
    loop.exec();
    return error;
}

QString CredentialStore::removeNow(const QString &entry)
{
    CredentialStore store;
    QEventLoop loop;
    QString error;
    store.remove(entry, [&](const QString &e) {
        error = e;
        loop.quit();
    });
    loop.exec();
    return error;
}

} // namespace pgdeck
