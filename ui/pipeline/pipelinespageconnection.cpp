// PipelinesPage's connection bar: which CI service, which project and server, and the
// credentials it reads from the environment or the OS keychain.
#include "pipelinespage.h"

#include "citokenpanel.h"
#include "pipeline/circleciclient.h"
#include "pipeline/credentialstore.h"
#include "pipeline/githubclient.h"
#include "pipeline/gitlabclient.h"
#include "pipeline/jenkinsclient.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace pgdeck {

void PipelinesPage::buildConnectionBar(QWidget *bar)
{
    m_serviceCombo->setObjectName(QStringLiteral("serviceCombo"));
    m_serviceCombo->setAccessibleName(tr("CI service"));
    for (Service s : {Service::GitHub, Service::GitLab, Service::Jenkins, Service::CircleCi})
        m_serviceCombo->addItem(serviceName(s), int(s));
    m_repoEdit->setObjectName(QStringLiteral("repositoryEdit"));
    m_repoEdit->setAccessibleName(tr("Repository or project"));
    m_repoEdit->setMinimumWidth(180);
    m_urlEdit->setObjectName(QStringLiteral("apiUrlEdit"));
    m_urlEdit->setAccessibleName(tr("API URL"));
    m_urlEdit->setMinimumWidth(220);
    m_workflowEdit->setObjectName(QStringLiteral("workflowEdit"));
    m_workflowEdit->setAccessibleName(tr("Workflow file"));
    m_workflowEdit->setPlaceholderText(defaultWorkflow());
    m_workflowEdit->setMaximumWidth(160);
    m_workflowLabel->setBuddy(m_workflowEdit);
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    m_connectButton->setAccessibleName(tr("Connect to the CI service"));
    m_connectButton->setDefault(true);

    auto *serviceLabel = new QLabel(tr("&Service:"), bar);
    serviceLabel->setBuddy(m_serviceCombo);
    auto *repoLabel = new QLabel(tr("&Repository:"), bar);
    repoLabel->setBuddy(m_repoEdit);
    auto *urlLabel = new QLabel(tr("API &URL:"), bar);
    urlLabel->setBuddy(m_urlEdit);

    auto *fields = new QHBoxLayout;
    fields->addWidget(serviceLabel);
    fields->addWidget(m_serviceCombo);
    fields->addSpacing(8);
    fields->addWidget(repoLabel);
    fields->addWidget(m_repoEdit, 2);
    fields->addSpacing(8);
    fields->addWidget(urlLabel);
    fields->addWidget(m_urlEdit, 3);
    fields->addSpacing(8);
    fields->addWidget(m_workflowLabel);
    fields->addWidget(m_workflowEdit, 1);
    fields->addSpacing(8);
    fields->addWidget(m_connectButton);
    auto *layout = new QVBoxLayout(bar);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(4);
    layout->addLayout(fields);
    layout->addWidget(m_tokenPanel);

    connect(m_serviceCombo, &QComboBox::currentIndexChanged, this,
            &PipelinesPage::onServiceChanged);
    connect(m_connectButton, &QPushButton::clicked, this, &PipelinesPage::onConnectClicked);
    for (QLineEdit *edit : {m_repoEdit, m_urlEdit, m_workflowEdit})
        connect(edit, &QLineEdit::returnPressed, this, &PipelinesPage::onConnectClicked);
    // Another server is another keychain entry.
    // (Return emits this after returnPressed: the same server keeps its waiting Connect.)
    connect(m_urlEdit, &QLineEdit::editingFinished, this, [this] {
        const QString url = m_urlEdit->text().trimmed();
        const QUrl base =
            apiBase(currentService(), url.isEmpty() ? QUrl() : QUrl::fromUserInput(url));
        if (base == m_tokenPanel->apiBase())
            return;
        m_pendingConnect = nullptr; // it was for the old server
        m_tokenPanel->setTarget(credentialVariables(currentService()), base);
    });
    // A Connect that waited for the keychain goes on once it has answered.
    connect(m_tokenPanel, &CiTokenPanel::credentialsRead, this, [this] {
        if (m_pendingConnect)
            std::exchange(m_pendingConnect, nullptr)();
    });
    connect(m_tokenPanel, &CiTokenPanel::keychainError, this,
            [this](const QString &message) { showBanner(nullptr, message); });
}

QString PipelinesPage::serviceName(Service service)
{
    switch (service) {
    case Service::GitHub:
        return QStringLiteral("GitHub");
    case Service::GitLab:
        return QStringLiteral("GitLab");
    case Service::Jenkins:
        return QStringLiteral("Jenkins");
    case Service::CircleCi:
        return QStringLiteral("CircleCI");
    }
    return {};
}

// The key CredentialStore and `pgdeckctl pipeline --service` know the service by.
QString PipelinesPage::serviceKey(Service service)
{
    switch (service) {
    case Service::GitHub:
        return QStringLiteral("github");
    case Service::GitLab:
        return QStringLiteral("gitlab");
    case Service::Jenkins:
        return QStringLiteral("jenkins");
    case Service::CircleCi:
        return QStringLiteral("circleci");
    }
    return {};
}

PipelinesPage::Service PipelinesPage::currentService() const
{
    return Service(m_serviceCombo->currentData().toInt());
}

void PipelinesPage::onServiceChanged()
{
    m_pendingConnect = nullptr; // a Connect waiting for the keychain was for the old service
    const Service s = currentService();
    m_workflowLabel->setVisible(s == Service::GitHub);
    m_workflowEdit->setVisible(s == Service::GitHub);
    switch (s) {
    case Service::GitHub:
        m_repoEdit->setPlaceholderText(QStringLiteral("owner/repo"));
        m_urlEdit->setPlaceholderText(apiBase(s, {}).toString());
        break;
    case Service::GitLab:
        m_repoEdit->setPlaceholderText(tr("group/project or project id"));
        m_urlEdit->setPlaceholderText(apiBase(s, {}).toString());
        break;
    case Service::Jenkins:
        m_repoEdit->setPlaceholderText(tr("job name, e.g. team/app"));
        m_urlEdit->setPlaceholderText(tr("https://jenkins.example.com (required)"));
        break;
    case Service::CircleCi:
        m_repoEdit->setPlaceholderText(QStringLiteral("gh/owner/repo"));
        m_urlEdit->setPlaceholderText(apiBase(s, {}).toString());
        break;
    }
    m_tokenPanel->setTarget(credentialVariables(s), apiBase(s, {}));
}

QStringList PipelinesPage::credentialVariables(Service service)
{
    return CredentialStore::variablesFor(serviceKey(service));
}

QUrl PipelinesPage::apiBase(Service service, const QUrl &apiUrl)
{
    return apiUrl.isEmpty() ? CredentialStore::defaultApiBase(serviceKey(service)) : apiUrl;
}

QString PipelinesPage::tokenStatusText() const
{
    return m_tokenPanel->statusText();
}

void PipelinesPage::onConnectClicked()
{
    const QString url = m_urlEdit->text().trimmed();
    if (connectTo(currentService(), m_repoEdit->text().trimmed(),
                  url.isEmpty() ? QUrl() : QUrl::fromUserInput(url),
                  m_workflowEdit->text().trimmed()))
        start();
}

bool PipelinesPage::connectTo(Service service, const QString &repository, const QUrl &apiUrl,
                              const QString &workflowFile)
{
    // The bar shows what is connected, whoever asked.
    {
        const QSignalBlocker blocker(m_serviceCombo);
        m_serviceCombo->setCurrentIndex(m_serviceCombo->findData(int(service)));
    }
    onServiceChanged();
    m_repoEdit->setText(repository);
    m_urlEdit->setText(apiUrl.isEmpty() ? QString() : apiUrl.toString());
    m_workflowEdit->setText(workflowFile);

    disconnectService();
    const auto refuse = [this](const QString &why) {
        showBanner(nullptr, why);
        return false;
    };
    if (repository.isEmpty())
        return refuse(tr("Name the %1 first.").arg(m_repoEdit->placeholderText()));
    if (service == Service::Jenkins && apiUrl.isEmpty())
        return refuse(tr("Jenkins needs the API URL: the server's address."));
    m_tokenPanel->setTarget(credentialVariables(service), apiBase(service, apiUrl));
    if (m_tokenPanel->isReading()) {
        m_pendingConnect = [=, this] { finishConnect(service, repository, apiUrl, workflowFile); };
        return true;
    }
    return finishConnect(service, repository, apiUrl, workflowFile);
}

bool PipelinesPage::finishConnect(Service service, const QString &repository, const QUrl &apiUrl,
                                  const QString &workflowFile)
{
    if (const QStringList unset = m_tokenPanel->missing(); !unset.isEmpty()) {
        showBanner(nullptr, tr("%1 not set. Export it in the environment pgdeck starts from, "
                               "or store it in the keychain.")
                                .arg(unset.join(tr(" and "))));
        return false;
    }
    const auto token = [this](const QString &variable) { return m_tokenPanel->value(variable); };
    const QString workflow = workflowFile.isEmpty() ? defaultWorkflow() : workflowFile;
    ClientFactory factory = [=]() -> std::unique_ptr<CiClient> {
        std::unique_ptr<CiClient> client;
        switch (service) {
        case Service::GitHub:
            client = std::make_unique<GitHubClient>(repository, workflow,
                                                    token(GitHubClient::tokenVariable()));
            break;
        case Service::GitLab:
            client =
                std::make_unique<GitLabClient>(repository, token(GitLabClient::tokenVariable()));
            break;
        case Service::Jenkins:
            client = std::make_unique<JenkinsClient>(apiUrl, repository,
                                                     token(JenkinsClient::userVariable()),
                                                     token(JenkinsClient::tokenVariable()));
            break;
        case Service::CircleCi:
            client = std::make_unique<CircleCiClient>(repository,
                                                      token(CircleCiClient::tokenVariable()));
            break;
        }
        if (!apiUrl.isEmpty())
            client->setBaseUrl(apiUrl);
        return client;
    };
    const QString what =
        service == Service::GitHub
            ? QStringLiteral("%1 %2 (%3)").arg(serviceName(service), repository, workflow)
            : QStringLiteral("%1 %2").arg(serviceName(service), repository);
    setClientFactory(what, factory);
    return true;
}

} // namespace pgdeck
