// Writes src/kinds/webhook/events.tsv: every Connect webhook event of Jira and Confluence, the
// Forge product event it becomes (or why it has none), the OAuth scopes that Forge event needs,
// and where the row comes from.
//
//   node scripts/webhook-events.mjs MANIFEST_PACKAGE_DIR > src/kinds/webhook/events.tsv
//
// MANIFEST_PACKAGE_DIR is the pinned @forge/manifest (13.7.0, the version
// ../shared/tools/forge-validate/package-lock.json installs; `validate` puts it under
// ~/.cache/forge-validate/<hash>/node_modules/@forge/manifest). Its
// out/mapping/product-event-to-scope-mapping.json is the list of Forge product events and the
// `current` scopes each needs: a Forge name is written only when it is in that list.
//
// The Connect names are those of Atlassian's Connect webhook references
// (https://developer.atlassian.com/cloud/jira/platform/webhooks/ and
// https://developer.atlassian.com/cloud/confluence/modules/webhook/). Each is turned into its Forge
// name by one rule, `<noun>_<verb>` → `avi:<product>:<verb>:<noun>` with the noun and verb
// spellings below (source `rule`); the few names the rule cannot spell are in OVERRIDES, each
// with the reason (source `override: …`). Events only Connect has (the app's own enablement,
// logins) are `connect-only`; Connect events with no Forge event in the pinned list are `none`.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/webhook-events.mjs MANIFEST_PACKAGE_DIR');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
const mapping = JSON.parse(
  readFileSync(path.join(dir, 'out/mapping/product-event-to-scope-mapping.json'), 'utf8'),
).mapping;
const scopes = new Map(mapping.map((m) => [m.productEvent, m.oAuthScopes.current ?? []]));

const CONNECT = {
  jira: [
    'jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'jira:worklog_updated',
    'issuelink_created', 'issuelink_deleted',
    'worklog_created', 'worklog_updated', 'worklog_deleted',
    'comment_created', 'comment_updated', 'comment_deleted',
    'attachment_created', 'attachment_deleted',
    'issue_property_set', 'issue_property_deleted',
    'issuetype_created', 'issuetype_updated', 'issuetype_deleted',
    'project_created', 'project_updated', 'project_deleted', 'project_soft_deleted',
    'project_restored_deleted', 'project_archived', 'project_restored_archived',
    'jira:version_created', 'jira:version_updated', 'jira:version_deleted', 'jira:version_released',
    'jira:version_unreleased', 'jira:version_merged', 'jira:version_moved',
    'version_created', 'version_updated', 'version_deleted', 'version_released',
    'version_unreleased', 'version_merged', 'version_moved',
    'user_created', 'user_updated', 'user_deleted',
    'filter_created', 'filter_updated', 'filter_deleted',
    'sprint_created', 'sprint_updated', 'sprint_deleted', 'sprint_started', 'sprint_closed',
    'board_created', 'board_updated', 'board_deleted', 'board_configuration_changed',
    'jira_expression_evaluation_failed',
    'option_voting_changed', 'option_watching_changed', 'option_unassigned_issues_changed',
    'option_subtasks_changed', 'option_attachments_changed', 'option_issuelinks_changed',
    'option_timetracking_changed',
    'project_app_enabled', 'project_app_disabled',
    'connect_addon_enabled', 'connect_addon_disabled',
  ],
  confluence: [
    'page_created', 'page_updated', 'page_removed', 'page_trashed', 'page_restored', 'page_moved',
    'page_viewed', 'page_archived', 'page_unarchived', 'page_copied', 'page_children_reordered',
    'blog_created', 'blog_updated', 'blog_removed', 'blog_trashed', 'blog_restored', 'blog_viewed',
    'comment_created', 'comment_updated', 'comment_removed',
    'attachment_created', 'attachment_updated', 'attachment_removed', 'attachment_trashed',
    'attachment_restored', 'attachment_viewed', 'attachment_archived', 'attachment_unarchived',
    'content_created', 'content_updated', 'content_removed', 'content_trashed', 'content_restored',
    'content_permissions_updated',
    'space_created', 'space_updated', 'space_removed', 'space_logo_updated',
    'space_permissions_updated',
    'user_created', 'user_removed', 'user_deactivated', 'user_reactivated', 'user_followed',
    'group_created', 'group_removed',
    'relation_created', 'relation_deleted',
    'label_added', 'label_created', 'label_deleted', 'label_removed',
    'blueprint_page_created', 'theme_enabled',
    'login', 'login_failed', 'logout', 'search_performed', 'plugin_enabled',
    'connect_addon_enabled', 'connect_addon_disabled',
  ],
};

// Connect noun → Forge `<product>:…:<noun>` (product may differ: sprints and boards are Jira
// Software's).
const NOUNS = {
  jira: {
    issue: ['jira', 'issue'], issuelink: ['jira', 'issuelink'], worklog: ['jira', 'worklog'],
    attachment: ['jira', 'attachment'], issue_property: ['jira', 'issue-property'],
    issuetype: ['jira', 'issuetype'], project: ['jira', 'project'], version: ['jira', 'version'],
    user: ['jira', 'user'], filter: ['jira', 'filter'], comment: ['jira', 'comment'],
    sprint: ['jira-software', 'sprint'], board: ['jira-software', 'board'],
  },
  confluence: {
    page: ['confluence', 'page'], blog: ['confluence', 'blogpost'], comment: ['confluence', 'comment'],
    attachment: ['confluence', 'attachment'], content: ['confluence', 'custom_content'],
    space: ['confluence', 'space:V2'], user: ['confluence', 'user'], group: ['confluence', 'group'],
    relation: ['confluence', 'relation'],
  },
};
// Connect verb → Forge verb where they differ (Confluence's `removed` is Forge's `deleted`).
const VERBS = { confluence: { removed: 'deleted' }, jira: {} };

const OVERRIDES = {
  jira: {
    comment_created: ['avi:jira:commented:issue', 'Forge has one event for a new or edited comment'],
    comment_updated: ['avi:jira:commented:issue', 'Forge has one event for a new or edited comment'],
    project_soft_deleted: ['avi:jira:softdeleted:project', 'Forge spells the verb as one word'],
    project_restored_deleted: ['avi:jira:restored:project', 'restored from the trash'],
    project_restored_archived: ['avi:jira:unarchived:project', 'restored from the archive'],
    board_configuration_changed: ['avi:jira-software:configuration-changed:board', 'Forge hyphenates the verb'],
    jira_expression_evaluation_failed: ['avi:jira:failed:expression', 'Forge names the expression'],
  },
  confluence: {
    page_children_reordered: ['avi:confluence:children_reordered:page', 'a two-word verb'],
  },
};
const CONNECT_ONLY = {
  connect_addon_enabled: 'the Connect app itself was enabled: Forge sends no event for it',
  connect_addon_disabled: 'the Connect app itself was disabled: Forge sends no event for it',
  project_app_enabled: 'a Connect app enabled per project: Forge has no such state',
  project_app_disabled: 'a Connect app disabled per project: Forge has no such state',
  plugin_enabled: 'a server plugin event Forge does not send',
  login: 'site logins are not sent to Forge apps',
  logout: 'site logouts are not sent to Forge apps',
  login_failed: 'failed logins are not sent to Forge apps',
  search_performed: 'searches are not sent to Forge apps',
  theme_enabled: 'Confluence themes do not exist for Forge apps',
};

console.log(`# Connect webhook event → Forge product event. Generated by scripts/webhook-events.mjs from @forge/manifest ${pkg.version} (out/mapping/product-event-to-scope-mapping.json); do not edit.`);
console.log('# product\tconnect event\tstatus\tforge event\tscopes\tsource');
for (const product of ['jira', 'confluence']) {
  for (const event of CONNECT[product]) {
    let status = 'none', forge = '-', source = `no ${product} event in @forge/manifest ${pkg.version}`;
    const override = OVERRIDES[product][event];
    if (CONNECT_ONLY[event]) {
      [status, source] = ['connect-only', CONNECT_ONLY[event]];
    } else if (override) {
      [status, forge, source] = ['mapped', override[0], `override: ${override[1]}`];
    } else {
      const bare = event.replace(/^jira:/, '');
      const cut = bare.lastIndexOf('_');
      const [noun, verb] = [bare.slice(0, cut), bare.slice(cut + 1)];
      const n = NOUNS[product][noun];
      if (n) {
        const candidate = `avi:${n[0]}:${VERBS[product][verb] ?? verb}:${n[1]}`;
        if (scopes.has(candidate)) [status, forge, source] = ['mapped', candidate, 'rule'];
        else source = `${candidate} is not in @forge/manifest ${pkg.version}`;
      }
    }
    if (status === 'mapped' && !scopes.has(forge)) {
      console.error(`${forge} (for ${event}) is not in the pinned list`);
      process.exit(1);
    }
    const s = status === 'mapped' ? scopes.get(forge).join(',') || '-' : '-';
    console.log([product, event, status, forge, s, source].join('\t'));
  }
}
