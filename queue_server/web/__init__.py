"""The HTTP server: REST API under /api/v1, sign-in pages and the Socket.IO bridge."""
