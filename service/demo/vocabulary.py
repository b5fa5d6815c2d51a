"""What the demo organization talks about: communities, their topics and topic vocabularies.

Each topic carries its own terms (tools, products, error codes), tasks people want to do
(with the way experts do them) and problems (symptom, cause, fix). Texts are assembled
from these by the templates in `service.demo.phrases`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """Something people want to do (`goal`, an infinitive phrase) and how experts do it."""

    goal: str
    how: str


@dataclass(frozen=True)
class Problem:
    """A recurring problem: what people see, why it happens, and what fixes it."""

    symptom: str
    cause: str
    fix: str


@dataclass(frozen=True)
class Topic:
    """One topic of a community, with the vocabulary that makes questions about it recognizable."""

    id: str
    name: str
    terms: tuple[str, ...]
    tasks: tuple[Task, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class CommunitySpec:
    """A community of practice: its domain, the job titles and units of its people, its topics."""

    id: str
    name: str
    description: str
    roles: tuple[str, ...]
    units: tuple[str, ...]
    topics: tuple[Topic, ...]


def _topic(
    topic_id: str,
    name: str,
    terms: str,
    tasks: list[tuple[str, str]],
    problems: list[tuple[str, str, str]],
) -> Topic:
    """A topic from compact literals: terms separated by ' | '."""
    return Topic(
        id=topic_id,
        name=name,
        terms=tuple(terms.split(" | ")),
        tasks=tuple(Task(*task) for task in tasks),
        problems=tuple(Problem(*problem) for problem in problems),
    )


DATA_ENGINEERING = CommunitySpec(
    id="data-engineering",
    name="Data Engineering",
    description=(
        "Building and running data pipelines: batch and streaming ingestion, orchestration, "
        "warehouse modeling, data quality and the databases behind them."
    ),
    roles=("Data Engineer", "Analytics Engineer", "Database Administrator"),
    units=("Data Platform", "Analytics Engineering", "Enterprise Data"),
    topics=(
        _topic(
            "spark-tuning",
            "Spark job tuning",
            "Spark | spark.sql.shuffle.partitions | AQE | executor memory | skew join | YARN"
            " | Databricks | broadcast join",
            [
                (
                    "size executors for a 2 TB daily join",
                    "start with 5 cores per executor and about 4 GB of memory per core, set "
                    "spark.sql.shuffle.partitions to roughly three times the total cores and let "
                    "AQE coalesce the small partitions",
                ),
                (
                    "speed up a join between a large fact table and a small dimension table",
                    "broadcast the small side with a broadcast hint or raise "
                    "spark.sql.autoBroadcastJoinThreshold so Spark skips the shuffle entirely",
                ),
            ],
            [
                (
                    "the Spark job stalls at 199 of 200 tasks in the join stage",
                    "one skewed key that lands in a single shuffle partition",
                    "turn on AQE skew join handling with spark.sql.adaptive.skewJoin.enabled or "
                    "salt the hot key before the join",
                ),
                (
                    "executors get killed by YARN for exceeding memory limits",
                    "off-heap memory for Python workers and shuffle buffers that executor memory "
                    "does not cover",
                    "raise spark.executor.memoryOverhead to 15-20 percent of executor memory and "
                    "use fewer cores per executor",
                ),
                (
                    "the Spark driver fails with OutOfMemoryError after collect()",
                    "pulling the whole result set back to the driver",
                    "write the result to a table instead of calling collect(), use take() for "
                    "samples and raise spark.driver.maxResultSize only as a last resort",
                ),
            ],
        ),
        _topic(
            "airflow-orchestration",
            "Airflow orchestration",
            "Airflow | DAG | KubernetesPodOperator | sensor | XCom | scheduler | backfill | CeleryExecutor",
            [
                (
                    "backfill six months of a daily Airflow DAG without overloading the warehouse",
                    "run airflow dags backfill with --max-active-runs 2 and put the warehouse "
                    "tasks in a pool with few slots, so the backfill queues behind normal runs",
                ),
                (
                    "pass a file path from one Airflow task to the next",
                    "return the path from the first task so it lands in XCom and keep the file "
                    "itself in object storage; never push the data through XCom",
                ),
            ],
            [
                (
                    "Airflow tasks stay queued for hours although the workers are idle",
                    "a pool or the parallelism limit exhausted by long-running sensors",
                    "switch the sensors to mode='reschedule' or deferrable operators and raise the "
                    "pool slots for that DAG",
                ),
                (
                    "the Airflow scheduler logs 'DAG seems to be missing' and the DAG vanishes from the UI",
                    "a top-level import in the DAG file that times out while the scheduler parses it",
                    "move heavy imports into the task callables and raise dagbag_import_timeout "
                    "only if parsing is genuinely slow",
                ),
                (
                    "a KubernetesPodOperator task fails with exit code 137",
                    "the pod was OOMKilled because it had no memory request or limit",
                    "set container_resources with a memory request and limit that fit the job and "
                    "read the pod events with kubectl describe pod",
                ),
            ],
        ),
        _topic(
            "oracle-undo",
            "Oracle undo and long-running queries",
            "ORA-01555 | ORA-30036 | UNDO_RETENTION | undo tablespace | AWR report | expdp"
            " | V$UNDOSTAT | Oracle 19c",
            [
                (
                    "size the Oracle undo tablespace for a nightly batch that runs four hours",
                    "take the peak undo blocks per second from V$UNDOSTAT, multiply by the longest "
                    "query time in seconds and the block size, and add 20 percent headroom",
                ),
                (
                    "find the Oracle session that generates the most undo",
                    "join V$TRANSACTION to V$SESSION on the transaction address and sort by "
                    "USED_UBLK, or check the top undo segments in the AWR report",
                ),
            ],
            [
                (
                    "the nightly expdp export fails with ORA-01555 snapshot too old",
                    "an UNDO_RETENTION shorter than the longest running query, so the read-"
                    "consistent image is overwritten",
                    "raise UNDO_RETENTION above the query runtime, set RETENTION GUARANTEE on the "
                    "undo tablespace during the export or pass FLASHBACK_SCN to expdp",
                ),
                (
                    "a large DELETE aborts with ORA-30036 unable to extend segment in undo tablespace",
                    "one huge transaction that needs more undo than the tablespace holds",
                    "delete in batches of 50,000 rows with a commit after each batch or add an "
                    "undo datafile with AUTOEXTEND ON",
                ),
                (
                    "reports time out since the upgrade to Oracle 19c",
                    "stale optimizer statistics after the upgrade",
                    "gather fresh statistics with DBMS_STATS.GATHER_SCHEMA_STATS and compare the "
                    "plans in the AWR report before and after",
                ),
            ],
        ),
        _topic(
            "dbt-modeling",
            "dbt modeling",
            "dbt | incremental model | ref() | dbt test | dbt snapshot | Jinja macro | Snowflake | dbt Cloud",
            [
                (
                    "turn a slow full-refresh dbt model into an incremental model",
                    "set materialized='incremental' with a unique_key, filter new rows with "
                    "is_incremental() on updated_at and run --full-refresh once a month to catch "
                    "late data",
                ),
                (
                    "keep a history of changing customer attributes in dbt",
                    "use a dbt snapshot with the timestamp strategy on updated_at; it writes "
                    "dbt_valid_from and dbt_valid_to for every version",
                ),
            ],
            [
                (
                    "dbt run fails with 'Compilation Error: depends on a node named ... which was not found'",
                    "a ref() to a model that was renamed or disabled",
                    "fix the name in ref(), run dbt ls --select +model_name to see the lineage "
                    "and re-enable the upstream model",
                ),
                (
                    "an incremental dbt model produces duplicate rows after every run",
                    "a missing or non-unique unique_key, so the merge inserts instead of updating",
                    "define a unique_key that is really unique, add a unique dbt test on it and "
                    "run once with --full-refresh",
                ),
                (
                    "dbt test reports not_null failures only in production",
                    "late-arriving source rows that the dev environment never sees",
                    "add a source freshness check and filter on a loaded_at cutoff, or set the "
                    "test severity to warn with an error threshold",
                ),
            ],
        ),
        _topic(
            "kafka-streaming",
            "Kafka streaming ingestion",
            "Kafka | consumer group | Kafka Connect | Schema Registry | Avro | consumer lag"
            " | MirrorMaker 2 | Debezium",
            [
                (
                    "capture changes from a Postgres database into Kafka",
                    "run the Debezium Postgres connector in Kafka Connect with a logical "
                    "replication slot and pgoutput, and register the Avro schemas in Schema "
                    "Registry",
                ),
                (
                    "replicate Kafka topics to a second data center",
                    "run MirrorMaker 2 on a Kafka Connect cluster close to the target and let the "
                    "checkpoint connector translate consumer group offsets",
                ),
            ],
            [
                (
                    "Kafka consumer lag keeps growing on one partition while the others are fine",
                    "a hot message key that sends most records to a single partition",
                    "choose a key with a better spread or add a suffix to the hot key, then add partitions",
                ),
                (
                    "the consumer group rebalances every few minutes and processes messages twice",
                    "a max.poll.interval.ms shorter than the time to process one batch",
                    "lower max.poll.records or raise max.poll.interval.ms, and make the handler idempotent",
                ),
                (
                    "the producer fails with 'Schema being registered is incompatible with an "
                    "earlier schema'",
                    "a new Avro field without a default, which breaks BACKWARD compatibility in "
                    "Schema Registry",
                    "give the new Avro field a default value, or change the subject's "
                    "compatibility only after every consumer is updated",
                ),
            ],
        ),
        _topic(
            "data-quality",
            "Data quality checks",
            "Great Expectations | expectation suite | data contract | row count check"
            " | freshness SLA | Monte Carlo | anomaly detection",
            [
                (
                    "add data quality checks to an existing pipeline",
                    "start with row count, null and uniqueness checks on the key columns in a "
                    "Great Expectations expectation suite and fail the pipeline only on the "
                    "critical ones",
                ),
                (
                    "agree on a data contract with an upstream team",
                    "write down schema, meaning, freshness SLA and an owner per field, version it "
                    "next to the producer's code and test it in their CI",
                ),
            ],
            [
                (
                    "the Great Expectations checkpoint passes although half the rows are missing",
                    "an expectation suite that checks columns but not volume",
                    "add expect_table_row_count_to_be_between with bounds taken from the last 30 days",
                ),
                (
                    "freshness SLA alerts fire every Monday morning",
                    "a source that does not deliver on weekends, so the freshness SLA is breached by design",
                    "use a business-day freshness SLA or mute the check on weekends",
                ),
            ],
        ),
        _topic(
            "postgres-replication",
            "PostgreSQL replication",
            "PostgreSQL | streaming replication | replication slot | WAL | pg_basebackup"
            " | Patroni | hot_standby_feedback | pg_stat_replication",
            [
                (
                    "set up a PostgreSQL streaming replica for reporting queries",
                    "take a pg_basebackup with -R to write the standby settings, use a physical "
                    "replication slot and enable hot_standby_feedback if reports run long",
                ),
                (
                    "fail over to the replica with Patroni during maintenance",
                    "run patronictl switchover to the chosen replica in a quiet window; Patroni "
                    "moves the leader key and the old primary rejoins as a replica",
                ),
            ],
            [
                (
                    "the PostgreSQL primary runs out of disk because the WAL directory keeps growing",
                    "an inactive replication slot that holds back WAL removal",
                    "drop the unused slot with pg_drop_replication_slot and set "
                    "max_slot_wal_keep_size as a safety limit",
                ),
                (
                    "queries on the replica get canceled with 'canceling statement due to "
                    "conflict with recovery'",
                    "vacuum on the primary removing rows that the replica query still needs",
                    "enable hot_standby_feedback or raise max_standby_streaming_delay on the "
                    "reporting replica",
                ),
                (
                    "pg_stat_replication shows several minutes of replay lag",
                    "a slow disk on the replica or a long query that blocks replay",
                    "check replay_lag, move WAL to faster storage and look for conflicts in "
                    "pg_stat_database_conflicts",
                ),
            ],
        ),
    ),
)

SECURITY = CommunitySpec(
    id="security",
    name="Security",
    description=(
        "Keeping systems and people safe: vulnerabilities, identity and single sign-on, secrets, "
        "certificates, incident response and secure design."
    ),
    roles=("Security Engineer", "Security Analyst", "Identity Engineer"),
    units=("Security Operations", "Product Security", "Identity and Access"),
    topics=(
        _topic(
            "vulnerability-management",
            "Vulnerability management",
            "CVE-2021-44228 | Log4Shell | Trivy | Snyk | CVSS | SBOM | Dependabot | base image",
            [
                (
                    "prioritize hundreds of open CVEs from the container scanner",
                    "rank by exploitability first (the CISA KEV list and EPSS), then by CVSS and "
                    "exposure, and fix base images before application dependencies",
                ),
                (
                    "produce an SBOM for every release",
                    "generate a CycloneDX SBOM with Syft or Trivy in the build pipeline and attach "
                    "it to the release artifact",
                ),
            ],
            [
                (
                    "Trivy still reports CVE-2021-44228 after we upgraded Log4j",
                    "an old log4j-core jar shaded inside another dependency",
                    "search the fat jar with 'jar tf' for JndiLookup.class, upgrade the dependency "
                    "that shades it and rebuild the image",
                ),
                (
                    "the scanner flags dozens of critical CVEs in the base image",
                    "an outdated base image tag that never gets rebuilt",
                    "pin a maintained minimal base image, rebuild weekly and let Dependabot open "
                    "the base image updates",
                ),
                (
                    "Snyk fails the build for a vulnerability that has no fix",
                    "a policy that blocks on severity without checking whether a fix exists",
                    "add a time-limited ignore with a justification to the .snyk file and track it "
                    "in the risk register",
                ),
            ],
        ),
        _topic(
            "identity-sso",
            "Single sign-on and identity",
            "Okta | SAML | OIDC | Azure AD | AADSTS50011 | SCIM | MFA | conditional access",
            [
                (
                    "connect a new SaaS tool to single sign-on",
                    "create a SAML or OIDC app in Okta, send the email as NameID, assign it to a "
                    "group and enable SCIM provisioning so leavers lose access automatically",
                ),
                (
                    "enforce MFA for admins without locking out service accounts",
                    "add a conditional access policy for the admin roles, exclude the break-glass "
                    "accounts and move service accounts to workload identities",
                ),
            ],
            [
                (
                    "users get AADSTS50011 'The reply URL specified in the request does not match'",
                    "a redirect URI in the app registration that differs from the one the app "
                    "sends, often http versus https or a trailing slash",
                    "add the exact redirect URI to the Azure AD app registration and make sure the "
                    "reverse proxy forwards the right scheme",
                ),
                (
                    "SAML login fails with 'Invalid signature' after the certificate rollover",
                    "a service provider that still trusts the old Okta signing certificate",
                    "upload the new signing certificate to the service provider, or point it at "
                    "the Okta metadata URL so it rotates automatically",
                ),
                (
                    "new hires cannot log in to the SSO apps on their first day",
                    "SCIM provisioning that runs only once a day",
                    "provision on assignment in Okta or push the group membership right away from "
                    "the HR workflow",
                ),
            ],
        ),
        _topic(
            "secrets-management",
            "Secrets management",
            "HashiCorp Vault | AppRole | KMS | secret rotation | Kubernetes secrets"
            " | dynamic credentials | External Secrets Operator | gitleaks",
            [
                (
                    "get database passwords out of the application config",
                    "keep them in HashiCorp Vault, use dynamic database credentials with a short "
                    "TTL and inject them at runtime with Vault Agent or the External Secrets "
                    "Operator",
                ),
                (
                    "rotate a leaked API key without downtime",
                    "issue a second key, roll it out everywhere, confirm traffic uses it, then "
                    "revoke the leaked key and check the audit log for misuse",
                ),
            ],
            [
                (
                    "after a restart every request to Vault fails with 'Vault is sealed'",
                    "Vault starting sealed with no auto-unseal configured",
                    "configure auto-unseal with the cloud KMS and keep the recovery keys with two "
                    "different key holders",
                ),
                (
                    "Vault AppRole login fails with 'invalid secret id'",
                    "an expired secret_id, or one already used up because secret_id_num_uses is 1",
                    "issue a new secret_id through the trusted orchestrator and raise "
                    "secret_id_ttl only as far as needed",
                ),
                (
                    "a secret shows up in plain text in the Git history",
                    "credentials committed in a config file before the pre-commit hook existed",
                    "rotate the secret first, then rewrite the history with git filter-repo and "
                    "add gitleaks to pre-commit and CI",
                ),
            ],
        ),
        _topic(
            "incident-response",
            "Security incident response",
            "Splunk | SPL | CrowdStrike Falcon | EDR | IOC | SIEM | phishing | playbook",
            [
                (
                    "triage a suspected phishing report",
                    "pull the headers and URLs, search the SIEM for other recipients and clicks, "
                    "block the sender and URL, and reset the credentials of anyone who submitted "
                    "them",
                ),
                (
                    "hunt for an IOC across all laptops",
                    "search CrowdStrike Falcon for the hash, domain or IP over the last 30 days "
                    "and check the Splunk proxy logs for the same indicators",
                ),
            ],
            [
                (
                    "the Splunk search for failed logins over 30 days times out",
                    "a raw SPL search without index and sourcetype filters",
                    "restrict the SPL to the right index and sourcetype and use tstats over the "
                    "accelerated Authentication data model",
                ),
                (
                    "CrowdStrike Falcon quarantines a build tool on every developer laptop",
                    "an unsigned binary that matches a machine-learning detection",
                    "ask the SOC to review it and add a sensor visibility exclusion for the tool's "
                    "path and hash",
                ),
                (
                    "the SIEM raises hundreds of impossible travel alerts a day",
                    "VPN egress points and cloud proxies that make users appear in two countries",
                    "exclude the corporate egress IP ranges from the rule and require device trust "
                    "as a condition",
                ),
            ],
        ),
        _topic(
            "tls-certificates",
            "TLS certificates",
            "cert-manager | ACME | Let's Encrypt | ERR_CERT_DATE_INVALID | SAN"
            " | intermediate certificate | openssl s_client | PKIX",
            [
                (
                    "automate TLS certificate renewal for internal services on Kubernetes",
                    "install cert-manager with a ClusterIssuer for the internal CA or ACME, "
                    "annotate the Ingress and let it renew 30 days before expiry",
                ),
                (
                    "check which TLS certificate a server actually presents",
                    "run openssl s_client -connect host:443 -servername host -showcerts and read "
                    "the subject, SAN list and expiry of each certificate in the chain",
                ),
            ],
            [
                (
                    "browsers show ERR_CERT_DATE_INVALID on the customer portal",
                    "a certificate that expired because its renewal failed silently",
                    "renew it now, then alert on certificates expiring within 21 days and on "
                    "failed cert-manager Certificate resources",
                ),
                (
                    "Java clients fail with 'PKIX path building failed' while browsers are fine",
                    "a server that does not send the intermediate certificate, which browsers "
                    "fetch on their own",
                    "serve the full chain, leaf plus intermediate certificate, in the server configuration",
                ),
                (
                    "a cert-manager Certificate is stuck in Issuing with a pending ACME challenge",
                    "an HTTP-01 challenge that is unreachable because the ingress redirects or a "
                    "firewall blocks port 80",
                    "allow port 80 for /.well-known/acme-challenge or switch to the DNS-01 solver",
                ),
            ],
        ),
        _topic(
            "threat-modeling",
            "Threat modeling",
            "STRIDE | data flow diagram | trust boundary | OWASP ASVS | attack tree | abuse case",
            [
                (
                    "run a threat modeling session for a new service",
                    "draw the data flow diagram with its trust boundaries, walk through STRIDE "
                    "per element with the team for 90 minutes and turn every finding into a "
                    "ticket with an owner",
                ),
                (
                    "pick security requirements for a customer-facing API",
                    "take OWASP ASVS level 2 as the baseline, mark what the platform already "
                    "covers and review the rest in the design review",
                ),
            ],
            [
                (
                    "our threat models are out of date right after the design review",
                    "a threat model that lives in a slide deck nobody owns",
                    "keep the data flow diagram as code next to the service and review it whenever "
                    "a flow crosses a new trust boundary",
                ),
                (
                    "the STRIDE session produces a list of 80 generic threats",
                    "a session without agreed scope or trust boundaries",
                    "limit it to one data flow diagram, focus on flows that cross trust boundaries "
                    "and rank the threats by impact",
                ),
            ],
        ),
    ),
)

FIELD_SERVICE = CommunitySpec(
    id="field-service",
    name="Field Service",
    description=(
        "Technicians and engineers who install, maintain and repair equipment at customer sites, "
        "and the dispatch, spare parts and safety practices behind them."
    ),
    roles=("Field Service Engineer", "Service Technician", "Service Planner"),
    units=("Field Operations", "Service Center", "Technical Support"),
    topics=(
        _topic(
            "hx200-controller",
            "HX-200 controller faults",
            "HX-200 | E1042 | E2210 | firmware 4.2.1 | service mode | CAN bus | ServiceTool | I/O board",
            [
                (
                    "update an HX-200 controller to firmware 4.2.1 on site",
                    "put the unit in service mode, back up the parameter set with ServiceTool, "
                    "flash 4.2.1 over USB and restore the parameters before leaving service mode",
                ),
                (
                    "read the fault history of an HX-200 controller",
                    "connect ServiceTool to the service port, open Diagnostics > Event log and "
                    "export the last 500 events as CSV for the ticket",
                ),
            ],
            [
                (
                    "the HX-200 shows E1042 after a power cut and will not restart",
                    "a loose CAN bus termination on the I/O board, so the controller loses the drive module",
                    "check the 120 ohm termination on the I/O board, reseat the CAN bus connector "
                    "and clear E1042 in service mode",
                ),
                (
                    "E2210 overtemperature keeps coming back on HX-200 units in summer",
                    "clogged cabinet filters and a fan that only runs at low speed on firmware "
                    "older than 4.2",
                    "replace the cabinet filter mats and update to firmware 4.2.1, which fixes the fan curve",
                ),
                (
                    "ServiceTool cannot connect to the HX-200 and says 'device not found'",
                    "a USB service cable that needs the FTDI driver on Windows 11",
                    "install the FTDI VCP driver shipped with ServiceTool and pick the COM port by hand",
                ),
            ],
        ),
        _topic(
            "chiller-maintenance",
            "TC-90 chiller maintenance",
            "TC-90 | R-134a | superheat | alarm A17 | compressor | condenser coil | EEV | oil return",
            [
                (
                    "set the superheat on a TC-90 chiller after replacing the EEV",
                    "run the unit 20 minutes at full load, measure suction pressure and "
                    "temperature, and adjust the EEV setpoint until superheat sits at 5-7 K",
                ),
                (
                    "prepare a TC-90 chiller for the winter shutdown",
                    "drain the water circuit or protect it with glycol, pump the R-134a down into "
                    "the condenser and log the compressor oil level before locking out",
                ),
            ],
            [
                (
                    "the TC-90 trips on alarm A17 low suction pressure at night",
                    "low R-134a charge from a slow leak at a flare joint",
                    "leak-test the flare joints with nitrogen, repair, evacuate and recharge "
                    "R-134a by weight",
                ),
                (
                    "the TC-90 compressor runs hot and oil return is poor",
                    "too much superheat, so the oil is not carried back to the compressor",
                    "recalibrate the EEV and check the insulation of the suction line",
                ),
                (
                    "the TC-90 trips on high head pressure on hot afternoons",
                    "a dirty condenser coil",
                    "clean the condenser coil from the inside out and check the rotation of the "
                    "condenser fans",
                ),
            ],
        ),
        _topic(
            "dispatch-scheduling",
            "Field dispatch and scheduling",
            "ServiceMax | work order | SLA | dispatch console | route optimization | skills matrix"
            " | mobile app",
            [
                (
                    "route emergency calls to the nearest qualified technician",
                    "use the skills matrix in ServiceMax as a hard constraint, then let route "
                    "optimization choose by travel time and remaining SLA",
                ),
                (
                    "plan a quarter of preventive maintenance visits",
                    "create the preventive maintenance work orders six weeks ahead, bundle visits "
                    "per site and keep 20 percent of capacity free for breakdowns",
                ),
            ],
            [
                (
                    "work orders disappear from the ServiceMax dispatch console after reassignment",
                    "a sharing rule that hides work orders outside the technician's territory",
                    "add the new territory to the dispatcher's sharing rule in ServiceMax and "
                    "re-sync the dispatch console",
                ),
                (
                    "the SLA clock keeps running while we wait for the customer",
                    "a 'waiting for customer' work order status that does not pause the SLA",
                    "add that status to the SLA pause criteria and recalculate the open work orders",
                ),
                (
                    "technicians see two visits at the same time in the ServiceMax mobile app",
                    "offline edits in the mobile app that conflict with dispatcher changes",
                    "set conflict resolution to 'server wins' and ask technicians to sync before "
                    "they start the day",
                ),
            ],
        ),
        _topic(
            "spare-parts",
            "Spare parts logistics",
            "SAP PM | RMA | consignment stock | van stock | movement type 261 | MRP | part number",
            [
                (
                    "set up van stock for field technicians",
                    "create a storage location per van in SAP PM, set min and max levels from the "
                    "last 12 months of consumption and replenish twice a week",
                ),
                (
                    "return a faulty part to the supplier",
                    "open an RMA with the supplier's part number and serial number, post the goods "
                    "movement to the returns location and attach the failure report",
                ),
            ],
            [
                (
                    "parts booked on a work order do not reduce van stock",
                    "movement type 261 posted against the central warehouse instead of the van "
                    "storage location",
                    "default the storage location per technician in SAP PM and reverse and repost "
                    "the wrong goods movements",
                ),
                (
                    "MRP orders critical spare parts that are already in consignment stock",
                    "an MRP availability check that ignores consignment stock",
                    "include special stock K in the availability check or plan the critical parts by hand",
                ),
            ],
        ),
        _topic(
            "remote-diagnostics",
            "Remote diagnostics",
            "RG-7 gateway | MQTT | telemetry | LTE modem | VPN tunnel | heartbeat | device portal",
            [
                (
                    "connect a customer site to remote diagnostics",
                    "install the RG-7 gateway, register it in the device portal, let it open the "
                    "VPN tunnel over LTE and check that telemetry reaches the MQTT broker",
                ),
                (
                    "reduce the mobile data used by machine telemetry",
                    "send changes only with a 1 percent deadband, batch MQTT messages every 60 "
                    "seconds and compress payloads on the RG-7 gateway",
                ),
            ],
            [
                (
                    "the RG-7 gateway goes offline every night at 02:00",
                    "an LTE modem that renews its session while the VPN tunnel does not reconnect",
                    "enable dead peer detection on the VPN tunnel and update the RG-7 gateway to "
                    "the firmware with the modem watchdog",
                ),
                (
                    "telemetry arrives hours late and in bursts",
                    "an MQTT client using QoS 1 with a tiny in-flight window on a weak LTE link",
                    "raise the MQTT in-flight window, use persistent sessions and measure the LTE "
                    "signal at the cabinet",
                ),
                (
                    "the heartbeat alarm fires although the machine runs fine",
                    "a heartbeat timeout shorter than the gateway's reporting interval since the "
                    "last config push",
                    "set the heartbeat timeout to three reporting intervals of the RG-7 gateway",
                ),
            ],
        ),
        _topic(
            "site-safety",
            "Site safety and lockout",
            "LOTO | lockout tagout | arc flash | permit to work | PPE | isolation point | confined space",
            [
                (
                    "prepare lockout tagout for a machine with several energy sources",
                    "list every isolation point (electrical, pneumatic, hydraulic, stored "
                    "energy), put a personal lock on each and verify zero energy before work",
                ),
                (
                    "get a permit to work at a customer site",
                    "ask the site safety office 48 hours ahead, with the method statement, the "
                    "risk assessment and the names of everyone on the job",
                ),
            ],
            [
                (
                    "the customer refuses our LOTO procedure",
                    "site rules that require their own locks and a site-issued permit to work",
                    "use the customer's permit to work system, add our personal locks and record "
                    "both in the work order",
                ),
                (
                    "technicians skip the arc flash PPE for quick checks",
                    "a missing arc flash label, so nobody knows the PPE category",
                    "label the panels with the incident energy and put the PPE category into the "
                    "job checklist",
                ),
            ],
        ),
    ),
)

UX_RESEARCH = CommunitySpec(
    id="ux-research",
    name="UX Research",
    description=(
        "Understanding users: usability testing, surveys, accessibility, journey mapping and the "
        "research operations that keep studies running."
    ),
    roles=("UX Researcher", "Product Designer", "Research Operations Specialist"),
    units=("Design", "Customer Experience", "Digital Products"),
    topics=(
        _topic(
            "usability-testing",
            "Usability testing",
            "moderated session | think-aloud | SUS | task success rate | Lookback | Maze | time on task",
            [
                (
                    "run a quick usability test before the release",
                    "recruit five users from the target segment, write three realistic tasks, run "
                    "moderated think-aloud sessions in Lookback and report task success rate plus "
                    "the top issues",
                ),
                (
                    "compare two checkout designs with users",
                    "run an unmoderated test in Maze with 20 participants per variant and compare "
                    "task success rate, time on task and SUS",
                ),
            ],
            [
                (
                    "participants finish every task but the SUS score is still low",
                    "tasks phrased with the interface's own labels, so they were too easy",
                    "phrase tasks as user goals without UI words and add a debrief question on confidence",
                ),
                (
                    "unmoderated Maze sessions are full of junk responses",
                    "a screener that is easy to game and an incentive that attracts speeders",
                    "add a knock-out screener question, drop sessions under a minimum time on task "
                    "and over-recruit by 30 percent",
                ),
                (
                    "stakeholders dismiss usability findings from five participants",
                    "the expectation of statistical significance from a qualitative study",
                    "explain that five users find most major issues, show video clips of the "
                    "moderated sessions and pair the findings with analytics",
                ),
            ],
        ),
        _topic(
            "survey-design",
            "Survey design",
            "Qualtrics | Likert scale | screener | sample size | response rate | NPS | margin of error",
            [
                (
                    "work out the sample size for an employee survey",
                    "fix the margin of error first (5 percent at 95 percent confidence is about "
                    "380 responses for a large population), then divide by the expected response "
                    "rate to get the number of invitations",
                ),
                (
                    "write unbiased Likert scale questions",
                    "use balanced 5-point Likert scales with labelled end points, one idea per "
                    "question and neutral wording, and pilot the survey with five people",
                ),
            ],
            [
                (
                    "the response rate of our Qualtrics survey dropped below 10 percent",
                    "a 20-minute survey sent on Friday afternoons",
                    "cut it to under 7 minutes, send it on a Tuesday morning and send one reminder "
                    "after three days",
                ),
                (
                    "NPS swings by 15 points from month to month",
                    "small monthly samples with a huge margin of error",
                    "report a rolling three-month NPS with confidence intervals",
                ),
            ],
        ),
        _topic(
            "research-ops",
            "Research operations",
            "participant recruitment | consent form | incentives | Dovetail | research repository"
            " | GDPR | participant panel",
            [
                (
                    "set up a research repository the whole product team uses",
                    "tag every study in Dovetail with product area, method and date, publish one-"
                    "page insights and link them from the roadmap tool",
                ),
                (
                    "recruit B2B customers as research participants",
                    "build a participant panel from opted-in customers with the account managers' "
                    "consent, track contact frequency and pay incentives through the approved gift "
                    "card vendor",
                ),
            ],
            [
                (
                    "legal blocks the study because the consent form is not GDPR compliant",
                    "a consent form that does not state the retention period and purpose for recordings",
                    "use the approved consent form template with retention, purpose and withdrawal "
                    "rights, and keep recordings in the EU region of Dovetail",
                ),
                (
                    "the same customers get invited to three studies a month",
                    "no shared log of participant contacts across teams",
                    "track every invitation in the participant panel and enforce a 90-day cooldown",
                ),
            ],
        ),
        _topic(
            "accessibility",
            "Accessibility audits",
            "WCAG 2.2 | screen reader | NVDA | VoiceOver | axe DevTools | contrast ratio | ARIA"
            " | focus order",
            [
                (
                    "plan an accessibility audit of the web app",
                    "run axe DevTools on the top 20 pages, test the key journeys by keyboard and "
                    "with NVDA and VoiceOver against WCAG 2.2 AA, and log issues by severity",
                ),
                (
                    "check color contrast across the design system",
                    "measure every text and background token pair against a 4.5:1 contrast ratio "
                    "(3:1 for large text and UI components) and fix the tokens, not the pages",
                ),
            ],
            [
                (
                    "NVDA reads the content of the modal dialog twice",
                    "an aria-label and a visible heading announced together, plus aria-"
                    "describedby on the same text",
                    "use aria-labelledby pointing at the heading and drop the duplicate aria-describedby",
                ),
                (
                    "keyboard users get stuck in the date picker",
                    "a focus trap without an Escape handler and a broken focus order",
                    "close the picker on Escape, return focus to the trigger and follow the ARIA "
                    "date picker pattern",
                ),
                (
                    "axe DevTools passes but screen reader users still fail the checkout",
                    "automated checks that catch only about a third of WCAG issues",
                    "add manual screen reader testing with VoiceOver and NVDA to the release checklist",
                ),
            ],
        ),
        _topic(
            "journey-mapping",
            "Journey mapping",
            "customer journey map | service blueprint | persona | Miro | jobs-to-be-done"
            " | touchpoint | pain point",
            [
                (
                    "build a customer journey map for onboarding",
                    "combine interview quotes and analytics per stage in Miro, mark touchpoints, "
                    "emotions and pain points, and validate the map with frontline staff",
                ),
                (
                    "turn a customer journey map into a service blueprint",
                    "add the backstage actions, support processes and systems under every "
                    "touchpoint, and mark where handovers fail",
                ),
            ],
            [
                (
                    "nobody uses the personas we made last year",
                    "personas built on demographics instead of goals and behaviour",
                    "rebuild them around jobs-to-be-done from recent interviews and tie them to "
                    "roadmap decisions",
                ),
                (
                    "the journey mapping workshop ends with a wall of sticky notes and no decisions",
                    "a workshop without agreed scope or owners for the pain points",
                    "limit the workshop to one journey, vote on the top three pain points and "
                    "assign owners before closing",
                ),
            ],
        ),
    ),
)

CLOUD_PLATFORM = CommunitySpec(
    id="cloud-platform",
    name="Cloud Platform",
    description=(
        "The shared cloud and Kubernetes platform: infrastructure as code, networking, delivery "
        "pipelines, service mesh, observability and cost."
    ),
    roles=("Platform Engineer", "Site Reliability Engineer", "Cloud Engineer"),
    units=("Cloud Infrastructure", "Developer Platform", "Reliability Engineering"),
    topics=(
        _topic(
            "kubernetes-operations",
            "Kubernetes operations",
            "Kubernetes | kubectl | CrashLoopBackOff | OOMKilled | HPA | PodDisruptionBudget"
            " | EKS | node pool",
            [
                (
                    "upgrade an EKS cluster without downtime",
                    "upgrade the control plane first, then roll the node pools one at a time with "
                    "PodDisruptionBudgets in place, and check for deprecated APIs before each step",
                ),
                (
                    "autoscale a Kubernetes deployment on request rate",
                    "expose the request rate as a custom metric through the Prometheus adapter and "
                    "point the HPA at it with a target per pod",
                ),
            ],
            [
                (
                    "pods are stuck in CrashLoopBackOff after the deploy",
                    "a container that exits on startup, usually a missing ConfigMap key or a "
                    "failing migration",
                    "read kubectl logs --previous and kubectl describe pod, fix the config and use "
                    "kubectl rollout undo if needed",
                ),
                (
                    "pods get OOMKilled under load although the node has free memory",
                    "a container memory limit below the JVM heap plus overhead",
                    "set -XX:MaxRAMPercentage=75 and raise the memory limit to match the request",
                ),
                (
                    "the node drain hangs during the node pool upgrade",
                    "a PodDisruptionBudget whose minAvailable equals the replica count",
                    "use maxUnavailable: 1 in the PodDisruptionBudget or scale the deployment up "
                    "before draining",
                ),
            ],
        ),
        _topic(
            "terraform",
            "Terraform infrastructure as code",
            "Terraform | terraform plan | state lock | remote state | Terraform module | drift"
            " | DynamoDB lock table | Terragrunt",
            [
                (
                    "split a huge Terraform state into smaller ones",
                    "move resources with terraform state mv or moved blocks into one state per "
                    "component and connect them through remote state outputs",
                ),
                (
                    "detect drift between Terraform and the real infrastructure",
                    "run terraform plan -detailed-exitcode every night in CI and open a ticket "
                    "when it exits with 2",
                ),
            ],
            [
                (
                    "terraform plan fails with 'Error acquiring the state lock'",
                    "a crashed CI job that left its lock in the DynamoDB lock table",
                    "confirm no run is active, then run terraform force-unlock with the lock ID "
                    "from the error",
                ),
                (
                    "terraform plan wants to destroy and recreate the database after a module upgrade",
                    "a Terraform module that renamed the resource address",
                    "add a moved block from the old to the new address before applying",
                ),
                (
                    "every terraform plan shows tag changes nobody made",
                    "default_tags in the provider conflicting with tags set in the Terraform module",
                    "set tags only through default_tags, or add ignore_changes on tags for the "
                    "affected resources",
                ),
            ],
        ),
        _topic(
            "aws-networking",
            "AWS networking",
            "VPC | Transit Gateway | security group | NAT gateway | PrivateLink"
            " | Route 53 Resolver | VPC flow logs",
            [
                (
                    "connect 30 VPCs across AWS accounts",
                    "share a Transit Gateway through RAM with separate route tables for prod and "
                    "non-prod, and take the VPC CIDRs from a central IPAM plan",
                ),
                (
                    "expose an internal service to another AWS account without VPC peering",
                    "put the service behind a Network Load Balancer and publish it as a "
                    "PrivateLink endpoint service",
                ),
            ],
            [
                (
                    "instances in the private subnet cannot reach the internet",
                    "a private route table without a route to the NAT gateway",
                    "add 0.0.0.0/0 via the NAT gateway to the private route table and check the network ACLs",
                ),
                (
                    "the NAT gateway bill doubled this month",
                    "S3 and ECR traffic that goes through the NAT gateway",
                    "add a gateway endpoint for S3 and interface endpoints for ECR, then check the "
                    "VPC flow logs for the top talkers",
                ),
                (
                    "on-premises hosts cannot resolve the private Route 53 zones",
                    "no inbound Route 53 Resolver endpoint and no conditional forwarder on premises",
                    "create an inbound Route 53 Resolver endpoint and forward the zone to it from "
                    "the on-premises DNS",
                ),
            ],
        ),
        _topic(
            "observability",
            "Observability and alerting",
            "Prometheus | Grafana | Alertmanager | PromQL | OpenTelemetry | high cardinality | SLO | Loki",
            [
                (
                    "define an SLO-based alert for an API",
                    "record the error ratio with PromQL recording rules and alert on multi-window "
                    "burn rates (1h and 6h) against the 99.9 percent SLO",
                ),
                (
                    "add distributed tracing to a Java service",
                    "attach the OpenTelemetry Java agent, export OTLP to the collector and "
                    "propagate the W3C trace context through the API gateway",
                ),
            ],
            [
                (
                    "Prometheus runs out of memory after a new release",
                    "a high cardinality label such as user_id or the raw request path on a histogram",
                    "drop the label with metric_relabel_configs and aggregate by route template in "
                    "the instrumentation",
                ),
                (
                    "Alertmanager sends the same alert to Slack every five minutes",
                    "a very low repeat_interval and an alert that flaps",
                    "raise repeat_interval to 4h and add a for: 10m clause to the Prometheus alert rule",
                ),
                (
                    "Grafana dashboards time out for 30-day ranges",
                    "raw PromQL over high-resolution data",
                    "back the dashboard panels with recording rules and set a minimum step",
                ),
            ],
        ),
        _topic(
            "cloud-cost",
            "Cloud cost optimization",
            "Savings Plans | spot instances | rightsizing | Cost Explorer | Kubecost"
            " | reserved instances | cost allocation tags",
            [
                (
                    "cut the compute bill for batch jobs",
                    "move fault-tolerant batch jobs to spot instances across several instance "
                    "types, keep on-demand for the rest and cover the baseline with Savings Plans",
                ),
                (
                    "show every team what it spends on Kubernetes",
                    "deploy Kubecost, map namespaces to teams with labels and export the "
                    "allocation into the monthly showback report",
                ),
            ],
            [
                (
                    "Cost Explorer shows 40 percent of the spend as untagged",
                    "resources created by hand or by tools that set no cost allocation tags",
                    "enforce the tags with a tag policy and an SCP, and activate the cost "
                    "allocation tags in the billing console",
                ),
                (
                    "spot instances get interrupted in the middle of long jobs",
                    "a single instance type in a single availability zone",
                    "diversify across instance types and zones with capacity-optimized allocation "
                    "and checkpoint the jobs",
                ),
            ],
        ),
        _topic(
            "ci-cd",
            "CI/CD pipelines",
            "GitLab CI | Argo CD | Helm | GitLab runner | canary release | pipeline cache | GitOps"
            " | Argo Rollouts",
            [
                (
                    "move our deployments to GitOps",
                    "keep the Helm values per environment in a Git repository and let Argo CD sync "
                    "them, with automatic sync for staging and manual promotion for production",
                ),
                (
                    "speed up a 40-minute GitLab CI pipeline",
                    "cache dependencies keyed on the lock file, split the tests into parallel jobs "
                    "and build images only when the Dockerfile or the sources change",
                ),
            ],
            [
                (
                    "Argo CD shows the application OutOfSync right after every sync",
                    "a controller or webhook that mutates fields Argo CD compares",
                    "add ignoreDifferences for the mutated fields or turn on server-side diff in Argo CD",
                ),
                (
                    "GitLab CI jobs are stuck in pending with no runner",
                    "job tags that match no active GitLab runner",
                    "match the tags in .gitlab-ci.yml to a runner or register a GitLab runner with "
                    "those tags",
                ),
                (
                    "the canary release sends all traffic to the new version at once",
                    "an Ingress without weighted routing",
                    "use Argo Rollouts with traffic weights or the nginx canary-weight annotation",
                ),
            ],
        ),
        _topic(
            "service-mesh",
            "Service mesh",
            "Istio | Envoy sidecar | mTLS | VirtualService | DestinationRule | 503 UC"
            " | PeerAuthentication | Kiali",
            [
                (
                    "turn on mTLS one namespace at a time",
                    "set PeerAuthentication to PERMISSIVE, check in Kiali that the traffic is "
                    "mutual TLS, then switch the namespace to STRICT",
                ),
                (
                    "retry failed calls between services in Istio",
                    "configure retries and a per-try timeout in the VirtualService, and make sure "
                    "the called endpoints are idempotent",
                ),
            ],
            [
                (
                    "calls fail now and then with 503 UC in the Envoy sidecar logs",
                    "an upstream that closes idle keep-alive connections before Envoy does",
                    "set an idleTimeout in the DestinationRule connectionPool below the upstream's "
                    "keep-alive timeout",
                ),
                (
                    "after enabling STRICT mTLS the legacy service gets connection resets",
                    "a legacy pod without an Envoy sidecar that sends plain text",
                    "inject the Envoy sidecar or add a port-level PeerAuthentication exception for "
                    "that workload",
                ),
            ],
        ),
    ),
)

MACHINE_LEARNING = CommunitySpec(
    id="machine-learning",
    name="Machine Learning",
    description=(
        "Training, evaluating and deploying models: deep learning, feature stores, MLOps, "
        "semantic search, forecasting and online experiments."
    ),
    roles=("Machine Learning Engineer", "Data Scientist", "Applied Scientist"),
    units=("Applied ML", "Data Science", "Search and Recommendations"),
    topics=(
        _topic(
            "model-training",
            "Deep learning training",
            "PyTorch | CUDA out of memory | mixed precision | gradient accumulation | DDP"
            " | torchrun | learning rate warmup | GradScaler",
            [
                (
                    "train a PyTorch model that does not fit in GPU memory",
                    "use bf16 mixed precision, gradient accumulation to keep the effective batch "
                    "size, and activation checkpointing for the largest blocks",
                ),
                (
                    "scale PyTorch training from one GPU to eight",
                    "wrap the model in DDP, launch with torchrun, use a DistributedSampler and "
                    "scale the learning rate with the global batch size plus warmup",
                ),
            ],
            [
                (
                    "training crashes with 'CUDA out of memory' in the first epoch",
                    "a batch size and sequence length too large for the GPU",
                    "halve the batch size and use gradient accumulation, enable mixed precision "
                    "and use torch.cuda.memory_summary() to see what holds memory",
                ),
                (
                    "the loss becomes NaN after a few thousand steps",
                    "a learning rate that is too high or fp16 overflow without loss scaling",
                    "add learning rate warmup, switch to bf16 or GradScaler and clip gradients at 1.0",
                ),
                (
                    "DDP training hangs at the first all-reduce",
                    "ranks that take different code paths, so one rank skips a backward pass",
                    "make every rank run the same forward and backward, and set "
                    "find_unused_parameters=True while debugging",
                ),
            ],
        ),
        _topic(
            "feature-store",
            "Feature store",
            "Feast | point-in-time join | training-serving skew | online store | feature view"
            " | Redis | materialization",
            [
                (
                    "serve the same features for training and online inference",
                    "define the features once as a Feast feature view, build training sets with "
                    "point-in-time joins and materialize to the online store for serving",
                ),
                (
                    "backfill a new feature over two years of history",
                    "compute it in the offline store in monthly batches and run materialization "
                    "only for the recent window the online store needs",
                ),
            ],
            [
                (
                    "the model is great offline and poor in production",
                    "training-serving skew from features computed differently in batch and online",
                    "compute both from the same Feast feature view and log the online feature "
                    "values to compare the distributions",
                ),
                (
                    "online feature lookups in Redis return stale values",
                    "a materialization job that stopped after a schema change",
                    "fix the feature view schema, rerun feast materialize-incremental and alert on "
                    "materialization lag",
                ),
            ],
        ),
        _topic(
            "mlops-deployment",
            "Model deployment and MLOps",
            "MLflow | model registry | Triton Inference Server | shadow deployment | data drift"
            " | ONNX | config.pbtxt",
            [
                (
                    "promote a model from staging to production safely",
                    "register it in the MLflow model registry, run a shadow deployment on live "
                    "traffic for a week, then a 5 percent canary before the full rollout",
                ),
                (
                    "cut the inference latency of a transformer model",
                    "export it to ONNX, quantize to int8 and serve it with Triton Inference Server "
                    "with dynamic batching",
                ),
            ],
            [
                (
                    "model accuracy slowly drops over a few months",
                    "data drift in the input features after a product change",
                    "monitor feature distributions with a drift metric such as PSI and retrain "
                    "when it crosses a threshold",
                ),
                (
                    "Triton Inference Server rejects requests with 'unexpected shape for input'",
                    "a model config with a fixed shape while clients send variable-length batches",
                    "set dims to -1 for the dynamic axis in config.pbtxt and enable dynamic batching",
                ),
                (
                    "the MLflow model loads fine locally but fails in the serving container",
                    "package versions in the container that differ from the training environment",
                    "log the pip requirements with the MLflow model and build the serving image from them",
                ),
            ],
        ),
        _topic(
            "semantic-search",
            "Text embeddings and semantic search",
            "sentence-transformers | embeddings | FAISS | cosine similarity | BM25"
            " | MultipleNegativesRankingLoss | vector index | reranker",
            [
                (
                    "build semantic search over internal documents",
                    "embed passages with a sentence-transformers model, normalize the vectors, "
                    "store them in a FAISS inner-product index and rerank the top 50",
                ),
                (
                    "fine-tune an embedding model on our own data",
                    "collect pairs of query and relevant passage, train with "
                    "MultipleNegativesRankingLoss for one or two epochs and compare recall@10 on a "
                    "held-out set",
                ),
            ],
            [
                (
                    "semantic search misses documents that contain the exact product code",
                    "embeddings that blur rare tokens such as error codes",
                    "combine the vector index with BM25 in a hybrid search and merge the rankings",
                ),
                (
                    "all cosine similarity scores are between 0.8 and 0.9",
                    "unnormalized embeddings from an anisotropic model",
                    "normalize the vectors and use rank order rather than absolute scores, or fine-"
                    "tune on in-domain pairs",
                ),
                (
                    "indexing a million documents with FAISS takes all the memory",
                    "a flat FAISS index of float32 vectors",
                    "use an IVF index with product quantization trained on a sample",
                ),
            ],
        ),
        _topic(
            "forecasting",
            "Demand forecasting",
            "Prophet | ARIMA | MAPE | seasonality | backtesting | hierarchical forecasting"
            " | holiday effects | WAPE",
            [
                (
                    "evaluate a demand forecasting model honestly",
                    "use rolling-origin backtesting over the last 12 months and report MAPE and "
                    "bias per horizon instead of one in-sample error",
                ),
                (
                    "forecast thousands of products consistently",
                    "forecast at several levels and reconcile them with hierarchical forecasting "
                    "(MinT) so store and region totals add up",
                ),
            ],
            [
                (
                    "Prophet forecasts go wild around Easter",
                    "a moving holiday missing from the holiday calendar",
                    "add Easter and the regional holidays as holiday effects with a window of a few days",
                ),
                (
                    "MAPE explodes for slow-moving products",
                    "MAPE dividing by actuals close to zero",
                    "use WAPE or MASE for intermittent demand and a Croston-type model",
                ),
            ],
        ),
        _topic(
            "experimentation",
            "A/B testing and experimentation",
            "A/B test | sample ratio mismatch | CUPED | power analysis | p-value"
            " | guardrail metric | minimum detectable effect",
            [
                (
                    "plan how long an A/B test must run",
                    "do a power analysis with the baseline conversion, the minimum detectable "
                    "effect and 80 percent power, then round up to full weeks",
                ),
                (
                    "reduce the variance of A/B test metrics",
                    "apply CUPED with the same metric from the pre-experiment period as the covariate",
                ),
            ],
            [
                (
                    "the A/B test shows a sample ratio mismatch of 48/52",
                    "bots, or a redirect that drops users of one variant before logging",
                    "check assignment logging by browser and country, fix the redirect and discard "
                    "the affected days",
                ),
                (
                    "an A/B test is significant on day 3 but not on day 14",
                    "peeking at the p-value every day, which inflates false positives",
                    "fix the duration up front from the power analysis or use a sequential testing method",
                ),
            ],
        ),
    ),
)

QUALITY_ASSURANCE = CommunitySpec(
    id="quality-assurance",
    name="Quality Assurance",
    description=(
        "Testing software end to end: UI and API automation, performance and load testing, "
        "mobile devices and test management."
    ),
    roles=("QA Engineer", "Test Automation Engineer", "Performance Test Engineer"),
    units=("Quality Engineering", "Release Management", "Digital Products"),
    topics=(
        _topic(
            "ui-test-automation",
            "UI test automation",
            "Selenium | Playwright | flaky tests | page object | StaleElementReferenceException"
            " | Cypress | test retries",
            [
                (
                    "migrate a Selenium suite to Playwright",
                    "port the page objects first, replace explicit sleeps with Playwright's "
                    "auto-waiting locators and run both suites side by side until the results "
                    "match",
                ),
                (
                    "run UI tests in parallel in CI",
                    "let every test create its own data, shard the suite across workers and keep "
                    "shared state out of the page objects",
                ),
            ],
            [
                (
                    "Selenium tests fail at random with StaleElementReferenceException",
                    "a page that re-renders after the element was found",
                    "look the element up again right before using it, or wait until the re-render is done",
                ),
                (
                    "about 5 percent of the UI suite is flaky and nobody trusts the results",
                    "timing-dependent waits and tests that share data",
                    "quarantine flaky tests automatically, fix the worst offenders first and "
                    "replace fixed sleeps with explicit waits",
                ),
                (
                    "Playwright tests pass locally but time out in CI",
                    "slower CI containers and tight default timeouts",
                    "record a Playwright trace on the first retry, raise the action timeout for CI "
                    "and wait for network idle only where needed",
                ),
            ],
        ),
        _topic(
            "performance-testing",
            "Performance testing",
            "JMeter | k6 | Gatling | p95 latency | throughput | soak test | think time",
            [
                (
                    "load test the checkout API before peak season",
                    "model the traffic mix from production logs, script it in k6 with realistic "
                    "think time, ramp to twice the expected peak and watch p95 latency and errors",
                ),
                (
                    "find a memory leak under sustained load",
                    "run an 8-hour soak test at 70 percent of peak and plot the heap after each "
                    "garbage collection",
                ),
            ],
            [
                (
                    "JMeter reports far less throughput than the server can handle",
                    "a load generator that is itself CPU-bound from GUI mode and listeners",
                    "run JMeter in non-GUI mode without listeners and spread the load over several "
                    "generators",
                ),
                (
                    "p95 latency in the load test is much better than in production",
                    "a small test data set that fits in the caches",
                    "use production-sized data and vary the test data so caches behave realistically",
                ),
            ],
        ),
        _topic(
            "api-testing",
            "API and contract testing",
            "Postman | Pact | contract testing | REST Assured | OpenAPI | JSON schema | Newman | Pact Broker",
            [
                (
                    "introduce contract testing between two teams",
                    "let the consumer write Pact tests, publish the pacts to the Pact Broker and "
                    "verify them in the provider's CI before every deploy",
                ),
                (
                    "run Postman collections in CI",
                    "export the collection and environment, run them with Newman and publish the "
                    "JUnit report",
                ),
            ],
            [
                (
                    "Pact verification fails after the provider added a field",
                    "a consumer pact that matches the whole body exactly",
                    "use type matchers in the consumer Pact test so extra fields are allowed",
                ),
                (
                    "API tests pass but the frontend breaks on a changed response",
                    "no JSON schema validation against the OpenAPI spec",
                    "validate every response against the OpenAPI schema in REST Assured or Postman",
                ),
            ],
        ),
        _topic(
            "mobile-testing",
            "Mobile app testing",
            "Appium | BrowserStack | XCUITest | Espresso | device farm | emulator | accessibility identifier",
            [
                (
                    "choose devices for mobile regression tests",
                    "take the devices and OS versions that cover 80 percent of our users in "
                    "analytics plus the oldest supported OS, and run them on BrowserStack",
                ),
                (
                    "speed up slow Appium test runs",
                    "use native XCUITest and Espresso for component flows, keep Appium for end-to-"
                    "end journeys and reuse the app session between tests",
                ),
            ],
            [
                (
                    "Appium cannot find elements on iOS 18",
                    "missing accessibility identifiers and XPath locators that changed",
                    "add accessibility identifiers in the app and switch the Appium locators to them",
                ),
                (
                    "mobile tests pass on the emulator but fail on BrowserStack real devices",
                    "permission dialogs and slower devices that the emulator never shows",
                    "grant permissions through capabilities and wait for elements instead of fixed sleeps",
                ),
            ],
        ),
        _topic(
            "test-management",
            "Test management",
            "TestRail | Xray | Jira | regression suite | traceability matrix | test plan",
            [
                (
                    "trace requirements to test cases for an audit",
                    "link every Jira requirement to Xray test cases and export the traceability "
                    "matrix with the execution results of the release",
                ),
                (
                    "shrink a manual regression suite that takes two weeks",
                    "rank the test cases by risk and defect history, automate the stable top 30 "
                    "percent and retire duplicates",
                ),
            ],
            [
                (
                    "test results in TestRail and in CI do not match",
                    "automated results uploaded by hand, often late",
                    "push the CI results to TestRail through its API after every pipeline run",
                ),
                (
                    "the Xray test plan shows tests as not executed although they ran",
                    "test executions created outside the test plan",
                    "create the test executions from the Xray test plan so they are linked",
                ),
            ],
        ),
    ),
)

FINANCE_SYSTEMS = CommunitySpec(
    id="finance-systems",
    name="Finance Systems",
    description=(
        "The systems and processes of finance: SAP FI/CO and the period close, expenses, revenue "
        "recognition, intercompany, VAT and e-invoicing, reporting and consolidation."
    ),
    roles=("Finance Systems Analyst", "SAP FI/CO Consultant", "Financial Controller"),
    units=("Finance IT", "Group Accounting", "Controlling"),
    topics=(
        _topic(
            "sap-fico",
            "SAP FI/CO period close",
            "SAP FI/CO | OB52 | F110 | GR/IR clearing | FAGLL03 | MR11 | message F5 201 | period close",
            [
                (
                    "open the next posting period for one company code in SAP",
                    "open it in OB52 for the posting period variant of that company code and give "
                    "the special periods their own authorization group",
                ),
                (
                    "clean up the GR/IR clearing account before year end",
                    "run F.13 for automatic clearing, settle small differences with MR11 and post "
                    "what is left as accruals",
                ),
            ],
            [
                (
                    "posting fails with 'Posting period 010 2026 is not open' (message F5 201)",
                    "a posting period variant in OB52 that does not include the period for that account type",
                    "open the period in OB52 for the account type and check which posting period "
                    "variant the company code uses",
                ),
                (
                    "the F110 payment run proposes no payments",
                    "a payment method or house bank missing in the vendor master or in FBZP",
                    "read the exception list in the F110 log, add the payment method to the vendor "
                    "and the bank determination in FBZP",
                ),
                (
                    "FAGLL03 balances differ from the trial balance",
                    "line items read without the leading ledger selected",
                    "select the leading ledger in FAGLL03 and reconcile against FAGLB03",
                ),
            ],
        ),
        _topic(
            "expense-management",
            "Expense management",
            "SAP Concur | expense report | per diem | audit rule | receipt OCR | approval workflow"
            " | corporate card",
            [
                (
                    "set up per diem rates for a new country in Concur",
                    "load the official per diem rates into the Concur travel allowance "
                    "configuration, map them to the expense type and test with a sample trip",
                ),
                (
                    "speed up expense report approvals",
                    "route reports under a threshold to a single approver, auto-approve corporate "
                    "card transactions within policy and escalate after five days",
                ),
            ],
            [
                (
                    "Concur flags receipts as missing although they are attached",
                    "receipt OCR that failed on photos, so the receipt is not linked to the line",
                    "attach the receipt to the expense line itself and ask people to upload PDFs "
                    "or sharp photos",
                ),
                (
                    "corporate card transactions arrive in Concur a week late",
                    "a card feed from the bank that runs weekly",
                    "switch the bank feed to daily and watch the feed import log",
                ),
            ],
        ),
        _topic(
            "revenue-recognition",
            "Revenue recognition",
            "ASC 606 | IFRS 15 | performance obligation | deferred revenue"
            " | standalone selling price | RevPro | contract modification",
            [
                (
                    "allocate the price of a bundle to its performance obligations",
                    "estimate the standalone selling price of each performance obligation, "
                    "allocate the transaction price in proportion and recognise each as it is "
                    "satisfied",
                ),
                (
                    "account for a mid-term contract upgrade under ASC 606",
                    "check whether the contract modification adds distinct goods at their "
                    "standalone selling price; if so treat it as a separate contract, otherwise "
                    "adjust prospectively",
                ),
            ],
            [
                (
                    "deferred revenue in RevPro does not match the general ledger",
                    "invoices posted in the billing system before the RevPro sync ran",
                    "run the RevPro reconciliation report by contract and repost the missing billing lines",
                ),
                (
                    "auditors question our standalone selling price for support",
                    "a standalone selling price based on list price instead of observable prices",
                    "analyse actual standalone support renewals and document the SSP range and method",
                ),
            ],
        ),
        _topic(
            "intercompany",
            "Intercompany reconciliation",
            "intercompany | BlackLine | elimination | FX revaluation | transfer pricing | netting",
            [
                (
                    "speed up intercompany reconciliation at month end",
                    "match intercompany transactions daily in BlackLine by reference and amount, "
                    "clear differences during the month and settle through monthly netting",
                ),
                (
                    "set up transfer pricing charges between two entities",
                    "agree the cost-plus markup with tax, post the charges monthly with their own "
                    "intercompany document type and keep the calculation for the file",
                ),
            ],
            [
                (
                    "intercompany balances do not eliminate in consolidation",
                    "two entities using different FX rates and posting dates",
                    "use the group rate table on both sides and post in the same period",
                ),
                (
                    "BlackLine shows hundreds of unmatched intercompany items",
                    "different reference fields on the sending and the receiving side",
                    "require a shared intercompany reference in the invoice template and tune the "
                    "BlackLine matching rules",
                ),
            ],
        ),
        _topic(
            "vat-einvoicing",
            "VAT and e-invoicing",
            "VAT | e-invoicing | Peppol | XRechnung | Leitweg-ID | reverse charge | SAF-T | tax code",
            [
                (
                    "send e-invoices to German public sector customers",
                    "generate XRechnung in UBL or CII, include the Leitweg-ID and deliver through "
                    "Peppol or the federal portal",
                ),
                (
                    "prepare the SAF-T file for a tax audit",
                    "map the general ledger accounts and tax codes to the SAF-T standard codes, "
                    "generate the XML and validate it against the schema before submitting",
                ),
            ],
            [
                (
                    "XRechnung invoices are rejected with 'BR-DE-15 Leitweg-ID missing'",
                    "an empty buyer reference on the invoice",
                    "fill BT-10 buyer reference with the customer's Leitweg-ID",
                ),
                (
                    "reverse charge invoices still show VAT",
                    "the wrong tax code derived for EU B2B services",
                    "set the reverse charge tax code in tax determination for EU business "
                    "customers with a valid VAT ID",
                ),
            ],
        ),
        _topic(
            "finance-reporting",
            "Finance reporting and consolidation",
            "Power BI | DAX | OneStream | consolidation | month-end close | cost center"
            " | management reporting",
            [
                (
                    "build a month-end close dashboard",
                    "track each close task with owner and due day in OneStream and show progress "
                    "and late items in a Power BI report",
                ),
                (
                    "report actuals against budget by cost center",
                    "load actuals and budget into one Power BI data model with a shared cost "
                    "center dimension and compute the variance in DAX measures",
                ),
            ],
            [
                (
                    "Power BI totals do not match the sum of the rows",
                    "a DAX measure evaluated in row context instead of over the total",
                    "rewrite the measure with SUMX over the right table or handle the total row "
                    "with HASONEVALUE",
                ),
                (
                    "the OneStream consolidation takes four hours",
                    "too many calculations at base level and no data unit filtering",
                    "move the calculations to parent level and consolidate only the changed entities",
                ),
            ],
        ),
    ),
)

COMMUNITIES: tuple[CommunitySpec, ...] = (
    DATA_ENGINEERING,
    SECURITY,
    FIELD_SERVICE,
    UX_RESEARCH,
    CLOUD_PLATFORM,
    MACHINE_LEARNING,
    QUALITY_ASSURANCE,
    FINANCE_SYSTEMS,
)


def all_topics() -> list[tuple[CommunitySpec, Topic]]:
    """Every (community, topic) pair, in vocabulary order."""
    return [(community, topic) for community in COMMUNITIES for topic in community.topics]
