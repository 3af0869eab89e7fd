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
                name: "parent_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "subject_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "to_store_id",
                table: "record");
        }
    }
}
