import { create } from 'zustand';
import { createRunSlice, type RunSlice } from './run-slice.ts';
import { createViewSlice, type ViewSlice } from './view-slice.ts';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace-slice.ts';

/** The whole UI state: one store, in slices; components read it with selectors. */
export type AppState = WorkspaceSlice & RunSlice & ViewSlice;

export const useStore = create<AppState>()((...args) => ({
  ...createWorkspaceSlice(...args),
  ...createRunSlice(...args),
  ...createViewSlice(...args),
}));
