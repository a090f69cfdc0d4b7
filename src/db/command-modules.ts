// Every module that defines commands. The SQLite writer thread imports this list to know them all by
// name (command-registry.ts); test/unit/command-registry.test.ts fails when a command the app can
// submit is missing here. Add the module of every new command.
import "../accounts/account-settings.ts";
import "../accounts/admin.ts";
import "../accounts/audit.ts";
import "../accounts/login.ts";
import "../accounts/name-skeletons.ts";
import "../accounts/registration.ts";
import "../accounts/session-ends.ts";
import "../accounts/setup.ts";
import "../audit/chain.ts";
import "../audit/checkpoints.ts";
import "../accounts/sessions.ts";
import "../files/quota.ts";
import "../files/service.ts";
import "../files/staged-uploads.ts";
import "../maintenance.ts";
import "../messages/messages.ts";
import "../notifications/notifications.ts";
import "../push/subscriptions.ts";
import "../moderation/moderation.ts";
import "../retention/policy.ts";
import "../retention/retention.ts";
import "../rooms/dms.ts";
import "../rooms/rooms.ts";
import "../search/indexer.ts";
import "../rooms/requests.ts";
import "../rooms/admin-rooms.ts";
import "../rooms/room-invites.ts";
import "../secrets.ts";
