// Entry points for tests that walk the production path (the first-day test assembles them).
export {
  type App,
  deployBundle,
  type RunningWorker,
  runCliBundle,
  startWorkerBundle,
} from "./bundle.js";
export {
  type CommandResult,
  cleanInstalledCopy,
  commandEnv,
  copyRepository,
  REPO_ROOT,
  removeCopy,
  run,
} from "./clean-copy.js";
export {
  CLI_BUILD_SCRIPT,
  DEPLOY_COMMANDS,
  DEPLOY_SCRIPTS,
  ENTRY,
  IMAGE,
  READINESS_PATH,
  SYSTEMD,
} from "./layout.js";
