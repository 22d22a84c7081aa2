#!/bin/sh
# mockcloud: Jira endpoints the checks use, with the reference's response shapes (§5, §4.1, Q10).
. "$top_srcdir/tests/mockcloud/common.sh"

mc_start healthy-human || exit 1
U="$(mc_client email):$(mc_client token)"
MIA=$(jq -r '.accounts[0].account_id' "$MC_SCENARIO")
RAJ=$(jq -r '.accounts[1].account_id' "$MC_SCENARIO")
R="$(jq -r '.accounts[1].email' "$MC_SCENARIO"):$(secret_of raj-classic)"
A=$SITE/rest/api/3

req "$A/myself?expand=groups,applicationRoles" -u "$U"
expect_status 200
expect_json '[.groups.items[].name] == ["jira-users","confluence-users","eng"] and .groups.size == 3'
expect_json '.applicationRoles.size == 1 and .applicationRoles.items[0].key == "jira-software"'
expect_json '.avatarUrls | has("48x48") and has("16x16")'

req "$A/mypermissions?projectKey=ENG&permissions=EDIT_ISSUES,BROWSE_PROJECTS,ADMINISTER_PROJECTS" -u "$U"
expect_status 200
expect_json '.permissions.EDIT_ISSUES == {"id":"12","key":"EDIT_ISSUES","name":"Edit Issues","type":"PROJECT","description":"Ability to edit issues.","havePermission":true}'
expect_json '.permissions.ADMINISTER_PROJECTS.havePermission == false and .permissions.BROWSE_PROJECTS.havePermission == true'
req "$A/mypermissions?permissions=ADMINISTER" -u "$U"
expect_json '.permissions.ADMINISTER.havePermission == false and .permissions.ADMINISTER.type == "GLOBAL"'
req "$A/mypermissions?permissions=ADMINISTER" -u "$R"
expect_json '.permissions.ADMINISTER.havePermission == true'
req "$A/mypermissions" -u "$U"
expect_status 400
req "$A/mypermissions?permissions=PERMISSION_123" -u "$U"
expect_status 400
expect_json '.errors.PERMISSION_123 == "Unrecognized permission"'
req "$A/mypermissions?projectKey=OPS&permissions=BROWSE_PROJECTS" -u "$U"
expect_status 404
expect_body_eq '{"errorMessages":["No project could be found with key '"'OPS'"'."],"errors":{}}'
req "$A/mypermissions?issueKey=ENG-2&permissions=EDIT_ISSUES" -u "$U"
expect_status 404

req "$A/permissions/check" -u "$U" -H 'Content-Type: application/json' \
    -d '{"globalPermissions":["ADMINISTER"],"projectPermissions":[{"permissions":["EDIT_ISSUES","ADMINISTER_PROJECTS"],"projects":[10000,10001],"issues":[10100,10101]}]}'
expect_status 200
expect_json '.globalPermissions == [] and (.projectPermissions[] | select(.permission == "EDIT_ISSUES")) == {"permission":"EDIT_ISSUES","issues":[10100],"projects":[10000]}'
req "$A/permissions/check" -u "$U" -H 'Content-Type: application/json' -d "{\"accountId\":\"$RAJ\",\"globalPermissions\":[\"ADMINISTER\"]}"
expect_status 403
expect_body_eq '{"errorMessages":["Only Jira administrators can perform this operation."],"errors":{}}'
req "$A/permissions/check" -u "$R" -H 'Content-Type: application/json' -d "{\"accountId\":\"$MIA\",\"projectPermissions\":[{\"permissions\":[\"EDIT_ISSUES\"],\"projects\":[10000]}]}"
expect_status 200
expect_json '.projectPermissions[0].projects == [10000]'
req "$A/permissions/check" -u "$U" -H 'Content-Type: application/json' -d 'not json'
expect_status 400

req "$A/project/ENG" -u "$U"
expect_status 200
expect_json '.key == "ENG" and .id == "10000" and (.roles | has("Developers"))'
req "$A/project/10000" -u "$U"
expect_json '.key == "ENG"'
req "$A/project/OPS" -u "$U"
expect_status 404
expect_body_eq '{"errorMessages":["No project could be found with key '"'OPS'"'."],"errors":{}}'
req "$A/project/ENG/role" -u "$U"
expect_status 401
req "$A/project/ENG/role" -u "$R"
expect_status 200
expect_json '.Administrators == "https://acme.atlassian.net/rest/api/3/project/10000/role/10002"'
req "$A/project/ENG/role/10001" -u "$R"
expect_status 200
expect_json ".name == \"Developers\" and ([.actors[].actorUser.accountId // empty] == [\"$MIA\"]) and ([.actors[].actorGroup.name // empty] == [\"ci-bots\"])"

req "$A/user/groups?accountId=$MIA" -u "$U"
expect_status 200
expect_json '[.[].name] == ["jira-users","confluence-users","eng"] and (.[0].groupId | test("^[0-9a-f-]{36}$"))'
req "$A/user/groups?accountId=nobody" -u "$R"
expect_status 404

req "$A/issue/ENG-1" -u "$U"
expect_status 200
expect_json '.key == "ENG-1" and .fields.project.key == "ENG"'
req "$A/issue/ENG-2" -u "$U"
expect_status 404
expect_body_eq '{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}'
req "$A/issue/ENG-2" -u "$R"
expect_status 200
expect_json '.fields.security.name == "Security team"'
req "$A/issue/NOPE-9" -u "$U"
expect_status 404

req "$A/serverInfo" -u "$U"
expect_status 200
expect_json '.baseUrl == "https://acme.atlassian.net" and .deploymentType == "Cloud" and (.versionNumbers | length == 3)'

req "$A/search/jql?jql=project%20%3D%20ENG" -u "$U"
expect_status 200
expect_json '[.issues[].key] == ["ENG-1"] and .isLast == true'
req "$A/search/jql" -u "$R" -H 'Content-Type: application/json' -d '{"jql":"project = ENG"}'
expect_json '[.issues[].key] == ["ENG-1","ENG-2"]'
req "$A/search?jql=project%3DENG" -u "$U"
expect_status 410
expect_body 'search/jql'

req "$A/nopesuchroute" -u "$U"
expect_status 404
expect_header Content-Type '^application/problem\+json;charset=UTF-8$'
expect_body_eq '{"type":"about:blank","title":"Not Found","status":404,"detail":"No endpoint GET /rest/api/3/nopesuchroute.","instance":"/rest/api/3/nopesuchroute"}'
# Confluence path without /wiki lands on Jira.
req "$SITE/rest/api/space" -u "$U"
expect_status 404
expect_body '"detail":"No endpoint GET /rest/api/space\."'
# A catalogued write that passes: 400 stands in for Jira's body check.
req "$A/issue" -u "$U" -H 'Content-Type: application/json' -d '{}'
expect_status 400
# REST v2 paths are served too.
req "$SITE/rest/api/2/myself" -u "$U"
expect_status 200

# Permission missing: Mia is a Viewer only.
mc_start permission-missing || exit 1
req "$A/mypermissions?projectKey=ENG&permissions=EDIT_ISSUES,BROWSE_PROJECTS" -u "$U"
expect_json '.permissions.EDIT_ISSUES.havePermission == false and .permissions.BROWSE_PROJECTS.havePermission == true'

# Confluence-only site: Jira paths 404.
mc_start healthy-confluence-only || exit 1
req "$A/myself" -u "$U"
expect_status 404
finish
