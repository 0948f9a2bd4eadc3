// Svelte compiler options for the renderer (passed explicitly to the Vite plugin as its configFile).
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
