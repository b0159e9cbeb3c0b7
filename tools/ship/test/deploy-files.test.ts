// The Dockerfile and the systemd unit (deploy/ghl-bulksms-worker.service) kept in step with the bundles that
// bundles.test.ts makes and starts: the same deploy commands, the same folders and entry files, the same
// health check, a non-root user and the data folder where DATA_DIR says.
//
// There is no Docker engine on the machines this runs on (developers' and CI's), so `docker build` cannot
// run here; this test reads the files instead, and the bundle test runs what they run.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CLI_BUILD_SCRIPT,
  DEPLOY_COMMANDS,
  DEPLOY_SCRIPTS,
  ENTRY,
  IMAGE,
  READINESS_PATH,
  REPO_ROOT,
  SYSTEMD,
} from "../src/index.js";

const read = (file: string) => readFileSync(join(REPO_ROOT, file), "utf8");
const rootPackage = JSON.parse(read("package.json")) as {
  scripts: Record<string, string>;
  packageManager: string;
  engines: { node: string };
};

describe("the root deploy scripts", () => {
  it("build with turbo, then run the deploy commands the bundle test runs", () => {
    for (const app of ["worker", "cli"] as const) {
      const script = rootPackage.scripts[DEPLOY_SCRIPTS[app]];
      expect(script).toBe(`turbo run build --filter=@ghl-bulksms/${app}... && ${DEPLOY_COMMANDS[app]}`);
    }
    expect(rootPackage.scripts[CLI_BUILD_SCRIPT]).toBe("turbo run build --filter=@ghl-bulksms/cli...");
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  // one instruction per entry, continuation lines joined
  const instructions = dockerfile
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const all = (keyword: string) => instructions.filter((l) => l.startsWith(`${keyword} `));
  const finalStage = instructions.slice(instructions.findLastIndex((l) => l.startsWith("FROM ")));

  it("is multi-stage and builds the bundles with the tested deploy scripts into the image's folders", () => {
    expect(all("FROM")).toHaveLength(2);
    expect(all("FROM")[0]).toMatch(/ AS build$/);
    const pnpmVersion = rootPackage.packageManager.replace("pnpm@", "");
    expect(dockerfile).toContain(`npm i -g pnpm@${pnpmVersion}`);
    expect(all("RUN")).toContain(
      `RUN pnpm ${DEPLOY_SCRIPTS.worker} ${IMAGE.workerDir} && pnpm ${DEPLOY_SCRIPTS.cli} ${IMAGE.cliDir}`,
    );
    expect(finalStage).toContain(`COPY --from=build ${IMAGE.workerDir} ${IMAGE.workerDir}`);
    expect(finalStage).toContain(`COPY --from=build ${IMAGE.cliDir} ${IMAGE.cliDir}`);
  });

  it("starts the worker's entry file and links the CLI's onto PATH", () => {
    expect(finalStage).toContain(`WORKDIR ${IMAGE.workerDir}`);
    expect(finalStage.at(-1)).toBe(`CMD ["node", "${ENTRY.worker}"]`);
    expect(dockerfile).toContain(`ln -s ${IMAGE.cliDir}/${ENTRY.cli} /usr/local/bin/ghl-bulksms`);
  });

  it("runs as a non-root user, keeps DATA_DIR on a volume, checks /readyz on the worker's port", () => {
    const user = finalStage.find((l) => l.startsWith("USER "));
    expect(user).toBe(`USER ${IMAGE.user}`);
    expect(IMAGE.user).not.toMatch(/^(root|0)$/);
    expect(finalStage).toContain(`VOLUME ["${IMAGE.dataDir}"]`);
    const env = finalStage.find((l) => l.startsWith("ENV ")) ?? "";
    expect(env).toContain(`DATA_DIR=${IMAGE.dataDir}`);
    expect(env).toContain(`PORT=${IMAGE.port}`);
    expect(env).toContain("HOST=0.0.0.0"); // reachable from outside the container
    expect(finalStage).toContain(`EXPOSE ${IMAGE.port}`);
    expect(dockerfile).toContain(`chown ${IMAGE.user}:${IMAGE.user} ${IMAGE.dataDir}`);
    const health = finalStage.find((l) => l.startsWith("HEALTHCHECK ")) ?? "";
    expect(health).toContain(`'${READINESS_PATH}'`);
    expect(health).toContain("process.env.PORT || 3000");
  });

  it("uses a Node.js version the packages support", () => {
    const major = Number(/ARG NODE_VERSION=(\d+)/.exec(dockerfile)?.[1]);
    const minimum = Number(/>=(\d+)/.exec(rootPackage.engines.node)?.[1]);
    expect(major).toBeGreaterThanOrEqual(minimum);
    expect([20, 22, 24]).toContain(major);
  });

  it("leaves build output, data and secrets out of the build context", () => {
    const ignore = read(".dockerignore").split("\n");
    for (const entry of ["**/node_modules", "**/dist", "**/data", ".env", "**/.env"])
      expect(ignore).toContain(entry);
  });
});

describe("deploy/ghl-bulksms-worker.service", () => {
  const unit = read(SYSTEMD.unitFile);
  const setting = (key: string) =>
    unit
      .split("\n")
      .filter((l) => l.startsWith(`${key}=`))
      .map((l) => l.slice(key.length + 1));

  it("runs the entry file of the bundle its install steps deploy", () => {
    expect(unit).toContain(`pnpm ${DEPLOY_SCRIPTS.worker} ${SYSTEMD.workerDir}`);
    expect(unit).toContain(`pnpm ${DEPLOY_SCRIPTS.cli} ${SYSTEMD.cliDir}`);
    expect(unit).toContain(`ln -s ${SYSTEMD.cliDir}/${ENTRY.cli} /usr/local/bin/ghl-bulksms`);
    expect(setting("ExecStart")).toEqual([`/usr/bin/node ${SYSTEMD.workerDir}/${ENTRY.worker}`]);
  });

  it("as its own user, with the env file and the data folder the CLI is told to use too", () => {
    expect(setting("User")).toEqual([SYSTEMD.user]);
    expect(setting("Environment")).toContain(`GHL_BULKSMS_ENV_FILE=${SYSTEMD.envFile}`);
    expect(setting("Environment")).toContain(`DATA_DIR=${SYSTEMD.dataDir}`);
    expect(setting("StateDirectory")).toEqual([basename(SYSTEMD.dataDir)]);
    expect(setting("ReadWritePaths")).toEqual([SYSTEMD.dataDir]);
    expect(unit).toContain(`GHL_BULKSMS_ENV_FILE=${SYSTEMD.envFile} DATA_DIR=${SYSTEMD.dataDir}`);
    expect(setting("KillSignal")).toEqual(["SIGTERM"]);
    expect(unit).toContain(`curl -fsS http://127.0.0.1:3000${READINESS_PATH}`);
  });

  it("names only variables the worker knows", () => {
    const example = read("apps/worker/.env.example");
    const config = read("packages/config/src/env-file.ts");
    for (const name of ["DATA_DIR", "HOST", "PORT"]) expect(example).toMatch(new RegExp(`^${name}=`, "m"));
    expect(config).toContain("GHL_BULKSMS_ENV_FILE");
  });
});

describe("README", () => {
  it("documents the same commands in its Production section", () => {
    const readme = read("README.md");
    const production = readme.slice(readme.indexOf("## Production"));
    expect(production.length).toBeGreaterThan(0);
    expect(production).toContain(`pnpm ${CLI_BUILD_SCRIPT}`);
    expect(production).toContain(`pnpm ${DEPLOY_SCRIPTS.worker} ${SYSTEMD.workerDir}`);
    expect(production).toContain(`node ${SYSTEMD.workerDir}/${ENTRY.worker}`);
    expect(production).toContain("docker build");
    expect(production).toContain(SYSTEMD.unitFile);
  });
});
