import type { Config } from "../config.ts";
import { examineDataDir, type Findings, type Level } from "../ops/doctor.ts";
import { examineCluster } from "../ops/doctor-cluster.ts";
import { reportFailure } from "./ops-output.ts";

const LABEL: Record<Level, string> = { ok: "ok     ", warning: "warning", problem: "PROBLEM" };

export async function runDoctor(config: Config): Promise<number> {
  process.umask(0o077);
  try {
    let findings: Findings;
    if (config.databaseUrl === null) {
      findings = examineDataDir({ dataDir: config.dataDir, certsDir: config.certsDir, acme: config.acme });
      process.stdout.write(`Checking ${config.dataDir}\n`);
    } else {
      findings = await examineCluster({ databaseUrl: config.databaseUrl, redisUrl: config.redisUrl, filesDir: config.filesDir });
      process.stdout.write(`Checking this cluster node (Postgres, Redis, files)\n`);
    }
    for (const finding of findings.list) process.stdout.write(`  ${LABEL[finding.level]}  ${finding.message}\n`);
    const problems = findings.list.filter((finding) => finding.level === "problem").length;
    const warnings = findings.list.filter((finding) => finding.level === "warning").length;
    process.stdout.write(
      problems === 0
        ? `Healthy${warnings ? `, with ${warnings} warning(s)` : ""}.\n`
        : `${problems} problem(s)${warnings ? ` and ${warnings} warning(s)` : ""} found.\n`,
    );
    return problems === 0 ? 0 : 1;
  } catch (error) {
    return reportFailure("doctor", error);
  }
}
