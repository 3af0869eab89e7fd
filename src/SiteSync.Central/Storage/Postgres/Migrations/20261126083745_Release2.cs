using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Release2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "action",
                table: "sync_out",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "idle_cycles",
                table: "site_log",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "auth_failure_streak",
                table: "site",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_auth_failure_at",
                table: "site",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_error_at",
                table: "site",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error_event",
                table: "site",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error_message",
                table: "site",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "parent_id",
                table: "record",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subject_id",
                table: "record",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "to_store_id",
                table: "record",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_disabled",
                table: "app_user",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "integrity_audit",
                columns: table => new
                {
                    site_id = table.Column<int>(type: "integer", nullable: false),
                    audit_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    checked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    matches = table.Column<bool>(type: "boolean", nullable: false),
                    pending_push = table.Column<long>(type: "bigint", nullable: false),
                    groups_compared = table.Column<long>(type: "bigint", nullable: false),
                    site_records = table.Column<long>(type: "bigint", nullable: false),
                    central_records = table.Column<long>(type: "bigint", nullable: false),
                    differing_groups = table.Column<string>(type: "text", nullable: false),
                    difference_count = table.Column<long>(type: "bigint", nullable: true),
                    differences = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_integrity_audit", x => x.site_id);
                    table.ForeignKey(
                        name: "FK_integrity_audit_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "store_departure",
                columns: table => new
                {
                    site_id = table.Column<int>(type: "integer", nullable: false),
                    store_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    departed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_store_departure", x => new { x.site_id, x.store_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_site_log_at",
                table: "site_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_site_log_site_id_level_at",
                table: "site_log",
                columns: new[] { "site_id", "level", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_record_parent_id_table_name",
                table: "record",
                columns: new[] { "parent_id", "table_name" });

            migrationBuilder.CreateIndex(
                name: "IX_record_subject_id_table_name",
                table: "record",
                columns: new[] { "subject_id", "table_name" });

            migrationBuilder.CreateIndex(
                name: "IX_record_to_store_id",
                table: "record",
                column: "to_store_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "integrity_audit");

            migrationBuilder.DropTable(
                name: "store_departure");

            migrationBuilder.DropIndex(
                name: "IX_site_log_at",
                table: "site_log");

            migrationBuilder.DropIndex(
                name: "IX_site_log_site_id_level_at",
                table: "site_log");

            migrationBuilder.DropIndex(
                name: "IX_record_parent_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_subject_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_to_store_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "action",
                table: "sync_out");

            migrationBuilder.DropColumn(
                name: "idle_cycles",
                table: "site_log");

            migrationBuilder.DropColumn(
                name: "auth_failure_streak",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_auth_failure_at",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_at",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_event",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_message",
                table: "site");

            migrationBuilder.DropColumn(
                name: "parent_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "subject_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "to_store_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "is_disabled",
                table: "app_user");
        }
    }
}
