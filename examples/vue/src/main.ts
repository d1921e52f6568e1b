// SPDX-License-Identifier: MIT
import { createApp } from 'vue';
import '../../shared/example.css';
import App from './App.vue';

createApp(App).mount('#app');
