// The text of `vaultroom --help`: every command, flag and variable (README.md documents the same).
import { VERSION } from "../version.ts";

export const HELP = `VaultRoom ${VERSION}: self-hosted secure chat and file sharing

Usage:
  vaultroom [serve] [options]          run the server (the default command)
  vaultroom user create NAME [--admin] create an account (password from stdin, or generated and printed once)
  vaultroom user reset-password NAME   print a one-time reset link (24 h) to hand to the user
  vaultroom user list                  list accounts
  vaultroom backup FILE [--passphrase-file F]   consistent online backup of the data directory
  vaultroom restore FILE [--passphrase-file F]  restore a backup into an empty --data directory
  vaultroom doctor                     check a data directory (and Postgres, Redis) and say what is wrong
  vaultroom migrate-db --to URL        copy a stopped server's SQLite data into an empty Postgres database
  vaultroom audit verify               check the audit log's hash chain and signed checkpoints
  vaultroom audit export [--since T]   write the audit log as JSON lines (T: a date, e.g. 2026-11-01)

Options (each has an environment variable; a flag wins over the variable):
  --port N            VAULTROOM_PORT           HTTPS port (default 8443)
  --host ADDR         VAULTROOM_HOST           address to listen on (default 0.0.0.0)
  --data DIR          VAULTROOM_DATA           data directory (default ./data)
  --certs DIR         VAULTROOM_CERTS          directory with cert.pem + key.pem (default ./certs;
                                               a self-signed certificate is generated when absent)
  --redirect-port N   VAULTROOM_REDIRECT_PORT  also listen on plain HTTP and redirect to HTTPS (to the first
                                               --origin, else to --host; needs one of them)
  --origin URL[,URL]  VAULTROOM_ORIGINS        extra allowed origins, e.g. https://chat.example.org
  --max-upload SIZE   VAULTROOM_MAX_UPLOAD     largest upload, e.g. 25MiB (default 25MiB); sizes are in
                                               binary units (KiB, MiB, GiB; KB, MB, GB read the same)
  --user-quota SIZE   VAULTROOM_USER_QUOTA     storage per user, e.g. 1GiB (default 1GiB)
  --message-rate N    VAULTROOM_MESSAGE_RATE   messages per second one user may post (default 8); bursts
                                               and per-connection limits scale with it (bots, bridges)
  --secrets-file F    VAULTROOM_SECRETS_FILE   the secrets file (default <data>/secrets.json); in a cluster
                                               give every node the same one (it holds the TOTP and audit
                                               keys, which never go into the database)
  --metrics-token-file F                       serve Prometheus metrics at https://…/metrics to
                      VAULTROOM_METRICS_TOKEN_FILE  "Authorization: Bearer <the file's token>"
  --metrics-port N    VAULTROOM_METRICS_PORT   serve /metrics on http://127.0.0.1:N (loopback only, no token)

Cluster mode (several nodes on one Postgres + Redis; see README "Running a cluster"):
  --database URL      VAULTROOM_DATABASE       sqlite: (default: <data>/vaultroom.db) or postgres://user@host/db
  --redis URL         VAULTROOM_REDIS          redis://host:port: cross-node delivery, presence, shared limits
                                               (required with Postgres when more than one node runs)
  --files DIR         VAULTROOM_FILES          uploaded files (default <data>/files); in a cluster a
                                               directory every node shares (NFS or similar)
  --node-id NAME      VAULTROOM_NODE_ID        this node's name in logs and presence (default host:port)
  --domain NAMES      VAULTROOM_DOMAIN         comma-separated DNS names: get a trusted certificate for them
                                               by ACME (Let's Encrypt), renew it, swap it in without a restart
  --acme-email ADDR   VAULTROOM_ACME_EMAIL     contact address for the ACME account (optional)
  --acme-directory URL                         ACME directory (default Let's Encrypt; "staging" for its
                      VAULTROOM_ACME_DIRECTORY staging directory)
  --acme-ca-file F    VAULTROOM_ACME_CA_FILE   CA bundle (PEM) to trust for the ACME server itself
  --acme-challenge T  VAULTROOM_ACME_CHALLENGE tls-alpn-01 or http-01 (default: chosen from the ports)
  --acme-retry SECS   VAULTROOM_ACME_RETRY     wait after a failed attempt, doubling up to an hour
                                               (default 600)
  --push-allow-private VAULTROOM_PUSH_ALLOW_PRIVATE=1
                                               let Web Push reach push services on private or loopback
                                               addresses (tests, air-gapped networks); off by default
  --help, --version
`;
