// Renderer entry: mounts the app frame. The renderer reaches main only through window.angio (src/lib/api.ts).
import { mount } from 'svelte';
import App from './App.svelte';
import './theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from index.html');
mount(App, { target });
