import type { StateCreator } from 'zustand';
import { reopenSandbox } from '../sandbox-client.ts';
import { loadSettings, saveSettings, type Settings } from '../settings.ts';
import type { AppState } from './store.ts';

export interface SettingsSlice {
  settings: Settings;
  settingsOpen: boolean;
  openSettings(open: boolean): void;
  updateSettings(settings: Settings): void;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => ({
  settings: loadSettings(),
  settingsOpen: false,
  openSettings(open) {
    set({ settingsOpen: open });
  },
  updateSettings(settings) {
    // The package index is fixed when a project's sandbox starts, like the allow-list.
    const networkChanged = settings.allowNet !== get().settings.allowNet || settings.packageIndex !== get().settings.packageIndex || settings.pypiIndex !== get().settings.pypiIndex;
    saveSettings(settings);
    set({ settings, settingsOpen: false });
    // The allow-list is fixed when a sandbox worker starts.
    if (networkChanged) void reopenSandbox();
  },
});
