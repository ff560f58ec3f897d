/** The agent: providers, the multi-step loop over the sandbox, its tools and the demo agent. */
export { runAgent, DEFAULT_MAX_STEPS, type RunAgentOptions } from './loop.ts';
export * from './types.ts';
export { createLanguageModel, DEFAULT_BASE_URLS, DEFAULT_MODELS, type ProviderSettings, type ModelOptions } from './providers.ts';
export { describeError, detectEnvironment, redact, AgentConfigError, type AgentEnvironment } from './errors.ts';
export {
  createAgentTools,
  runTool,
  modelView,
  workspacePath,
  toolInputSchemas,
  ToolError,
  type ToolOutcome,
  type ToolInputs,
  type ToolState,
  type AgentToolHooks,
  type ModelView,
} from './tools.ts';
export { cutText, MODEL_OUTPUT_LIMIT, RECORD_OUTPUT_LIMIT } from './cut.ts';
export { toModelMessages } from './history.ts';
export { buildSystemPrompt, type SystemPromptOptions } from './system-prompt.ts';
export { MessageRecorder, newId } from './recorder.ts';
export { runDemo, type DemoOptions } from './demo/player.ts';
export { DEMO_SCRIPTS, DEFAULT_DEMO_SCRIPT, matchDemoScript, parseDemoScript, scriptList, type DemoScript, type DemoStep } from './demo/scripts.ts';
