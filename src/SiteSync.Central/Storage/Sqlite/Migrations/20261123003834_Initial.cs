using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace SiteSync.Central.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "app_user",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    username = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    username_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    can_edit_sync_settings = table.Column<bool>(type: "INTEGER", nullable: false),
                    credential_version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_app_user", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "central_change_log",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    table_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_central_change_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "counter",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_counter", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_key",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_key", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "push_buffer",
                columns: table => new
                {
                    site_id = table.Column<int>(type: "INTEGER", nullable: false),
                    table_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: true),
                    received_seq = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_push_buffer", x => new { x.site_id, x.table_name, x.record_id });
                });

            migrationBuilder.CreateTable(
                name: "record",
                columns: table => new
                {
                    table_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: true),
                    store_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    is_deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    source_site_id = table.Column<int>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record", x => new { x.table_name, x.record_id });
                });

            migrationBuilder.CreateTable(
                name: "site",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    uid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    credential_version = table.Column<int>(type: "INTEGER", nullable: false),
                    hardware_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    app_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    app_version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    last_synced_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_connected_at = table.Column<long>(type: "INTEGER", nullable: true),
                    failed_login_count = table.Column<int>(type: "INTEGER", nullable: false),
                    is_blocked = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_active_on_this_datafile = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_om_central_server = table.Column<bool>(type: "INTEGER", nullable: false),
                    om_central_server_url = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    initialisation_status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    integration_status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    funder_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    cycle_started_at = table.Column<long>(type: "INTEGER", nullable: true),
                    cycle_pushed = table.Column<int>(type: "INTEGER", nullable: false),
                    cycle_pulled_central = table.Column<int>(type: "INTEGER", nullable: false),
                    cycle_pulled_queue = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_site", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "site_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    level = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    @event = table.Column<string>(name: "event", type: "TEXT", maxLength: 60, nullable: false),
                    message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    username = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_site_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "site_snapshot",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<int>(type: "INTEGER", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    upper_seq = table.Column<long>(type: "INTEGER", nullable: false),
                    cursor_seq = table.Column<long>(type: "INTEGER", nullable: false),
                    remaining = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_site_snapshot", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "support_contract",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    funder_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    funder_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    site_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    site_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    license_code = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    licensed_users = table.Column<int>(type: "INTEGER", nullable: true),
                    support_start = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    support_end = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_contract", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sync_out",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<int>(type: "INTEGER", nullable: false),
                    table_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_out", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "store",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    site_id = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_store", x => x.id);
                    table.ForeignKey(
                        name: "FK_store_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "counter",
                columns: new[] { "name", "value" },
                values: new object[,]
                {
                    { "change_log_id", 0L },
                    { "record_seq", 0L }
                });

            migrationBuilder.CreateIndex(
                name: "IX_app_user_username_key",
                table: "app_user",
                column: "username_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_record_seq",
                table: "record",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_record_store_id_is_deleted_seq",
                table: "record",
                columns: new[] { "store_id", "is_deleted", "seq" });

            migrationBuilder.CreateIndex(
                name: "IX_site_name_key",
                table: "site",
                column: "name_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_site_log_site_id_at",
                table: "site_log",
                columns: new[] { "site_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_site_snapshot_site_id_store_id",
                table: "site_snapshot",
                columns: new[] { "site_id", "store_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_store_site_id",
                table: "store",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "IX_support_contract_funder_key",
                table: "support_contract",
                column: "funder_key");

            migrationBuilder.CreateIndex(
                name: "IX_support_contract_site_key",
                table: "support_contract",
                column: "site_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sync_out_site_id_id",
                table: "sync_out",
                columns: new[] { "site_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_sync_out_site_id_table_name_record_id",
                table: "sync_out",
                columns: new[] { "site_id", "table_name", "record_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "app_user");

            migrationBuilder.DropTable(
                name: "central_change_log");

            migrationBuilder.DropTable(
                name: "counter");

            migrationBuilder.DropTable(
                name: "data_protection_key");

            migrationBuilder.DropTable(
                name: "push_buffer");

            migrationBuilder.DropTable(
                name: "record");

            migrationBuilder.DropTable(
                name: "site_log");

            migrationBuilder.DropTable(
                name: "site_snapshot");

            migrationBuilder.DropTable(
                name: "store");

            migrationBuilder.DropTable(
                name: "support_contract");

            migrationBuilder.DropTable(
                name: "sync_out");

            migrationBuilder.DropTable(
                name: "site");
        }
    }
}
