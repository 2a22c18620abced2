/// <reference types="vite/client" />
/// <reference path="../host/vite/client.d.ts" />
