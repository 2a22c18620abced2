/// <reference path="../host/vite/client.d.ts" />
