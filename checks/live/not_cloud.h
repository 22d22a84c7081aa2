/* checks/live/not_cloud.h: net.reach's test for a site that is not Atlassian Cloud (Data Center, Server, a proxy). */
#ifndef CHECKS_LIVE_NOT_CLOUD_H
#define CHECKS_LIVE_NOT_CLOUD_H

#include "diag/engine/check.h"

/*
 * 1 when the site's tenant_info answer (tenant, borrowed) says the host
 * may not be Atlassian Cloud: the host is not named like a Cloud host
 * (*.atlassian.net, *.jira.com), gave no cloud ID, and the answer carries
 * none of Cloud's marks (ATL-TraceId, Server: AtlassianEdge). net.reach
 * then asks the host's anonymous serverInfo.
 */
int diag__not_cloud_suspect(struct diag_run *,
    const struct diag_exchange *tenant);

/* The serverInfo URL of the site host (owned), or NULL. */
char *diag__not_cloud_info_url(struct diag_run *);

/*
 * Judges the host from its tenant_info and serverInfo answers (info may
 * be NULL): raises site.not_cloud, confirmed when serverInfo names a
 * deploymentType "Server" or "DataCenter", likely when neither answer
 * carries a mark of Atlassian Cloud; nothing when serverInfo says
 * "Cloud". Returns the finding (the run then fails, so every Cloud check
 * after net.reach is blocked), or NULL.
 */
struct diag_finding *diag__not_cloud_judge(struct diag_run *,
    const struct diag_exchange *tenant, const struct diag_exchange *info);

#endif
