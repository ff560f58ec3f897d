import { create } from 'zustand';
import { createChatSlice, type ChatSlice } from './chat-slice.ts';
import { createDebugSlice, type DebugSlice } from './debug-slice.ts';
import { createProjectsSlice, type ProjectsSlice } from './projects-slice.ts';
import { createRunSlice, type RunSlice } from './run-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createViewSlice, type ViewSlice } from './view-slice.ts';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace-slice.ts';

/** The whole UI state: one store, in slices; components read it with selectors. */
export type AppState = WorkspaceSlice & RunSlice & ViewSlice & ProjectsSlice & ChatSlice & SettingsSlice & DebugSlice;

export const useStore = create<AppState>()((...args) => ({
  ...createWorkspaceSlice(...args),
  ...createRunSlice(...args),
  ...createViewSlice(...args),
  ...createProjectsSlice(...args),
  ...createChatSlice(...args),
  ...createSettingsSlice(...args),
  ...createDebugSlice(...args),
}));
