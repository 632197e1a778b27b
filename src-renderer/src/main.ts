// Renderer entry: mounts the app frame with the API the host put on window.angio, read here once; everything
// below the frame receives it from the store registry (stores/registry.ts).
import { mount } from 'svelte';
import App from './App.svelte';
import { connectedApi } from './lib/api.ts';
import './theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from index.html');
mount(App, { target, props: { api: connectedApi(window) } });
